using GitHooks.Locking;

namespace GitHooks.Commands;

/// <summary><c>git storage lock &lt;path…&gt; [--remote] [--json]</c>: takes a lock per path on the server, as <c>git lfs lock</c>.</summary>
public sealed class LockCommand(ICommandContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<string> paths, string? remote, bool json, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var locks = await LockSession.OpenAsync(session, remote, cancellationToken);
        var failed = 0;
        var taken = new List<StorageServer.Protocol.Locks.LfsLock>();
        foreach (var raw in paths)
        {
            var path = locks.RepositoryPath(raw, context.WorkingDirectory);
            try
            {
                var created = await locks.Client.CreateAsync(path, locks.RefName, cancellationToken);
                taken.Add(created);
                if (!json)
                {
                    await context.Out.WriteLineAsync($"Locked {created.Path}");
                }
            }
            catch (LockApiException ex)
            {
                failed++;
                var hint = ex.Status == 409 && ex.Existing?.Owner?.Name is { } owner && !ex.Message.Contains(owner, StringComparison.Ordinal)
                    ? $" (locked by {owner})" : string.Empty;
                await context.Error.WriteLineAsync($"Locking {path} failed: {ex.Message}{hint}");
            }
        }
        if (json)
        {
            await context.Out.WriteLineAsync(LockOutput.JsonArray(taken));
        }
        return failed == 0 ? 0 : 2;
    }
}
