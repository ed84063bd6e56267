using GitHooks.Locking;

namespace GitHooks.Commands;

public sealed record LocksRequest(string? Path, string? Id, bool Verify, int? Limit, string? Remote, bool Json);

/// <summary>
/// <c>git storage locks [--path p] [--id i] [--verify] [--limit n] [--json]</c>, as <c>git lfs locks</c>:
/// the server's locks; with <c>--verify</c> the server says which are yours (marked <c>O</c>).
/// </summary>
public sealed class LocksCommand(ICommandContext context)
{
    public async Task<int> RunAsync(LocksRequest request, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var locks = await LockSession.OpenAsync(session, request.Remote, cancellationToken);
        var path = request.Path is null ? null : locks.RepositoryPath(request.Path, context.WorkingDirectory);
        if (request.Verify)
        {
            var (ours, theirs) = await locks.Client.VerifyAsync(locks.RefName, cancellationToken);
            var all = ours.Concat(theirs).Where(l => (path is null || l.Path == path) && (request.Id is null || l.Id == request.Id)).ToList();
            if (request.Json)
            {
                await context.Out.WriteLineAsync(LockOutput.JsonVerify(ours.Where(all.Contains), theirs.Where(all.Contains)));
                return 0;
            }
            var mine = ours.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var line in LockOutput.Table(request.Limit is { } n ? [.. all.Take(n)] : all, mine))
            {
                await context.Out.WriteLineAsync(line);
            }
            return 0;
        }
        var found = await locks.Client.ListAsync(path, request.Id, path is null && request.Id is null ? locks.RefName : null, request.Limit, cancellationToken);
        if (request.Json)
        {
            await context.Out.WriteLineAsync(LockOutput.JsonArray(found));
            return 0;
        }
        foreach (var line in LockOutput.Table(found))
        {
            await context.Out.WriteLineAsync(line);
        }
        return 0;
    }
}
