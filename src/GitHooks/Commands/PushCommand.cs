using GitHooks.Git;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage push [remote] [ref…] [--all]</c>: uploads objects by hand. By default those of
/// the given refs (or HEAD) that the remote's tracking refs do not contain; with --all, every
/// object reachable from every local ref (the server skips the ones it has).
/// </summary>
public sealed class PushCommand(ICommandContext context)
{
    public async Task<int> RunAsync(string? remote, IReadOnlyList<string> refs, bool all, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        remote ??= await session.DefaultRemoteAsync(cancellationToken);
        IReadOnlyList<string> include = all ? ["--all"] : refs.Count > 0 ? refs : ["HEAD"];
        IReadOnlyList<string> exclude = all ? [] : [$"--remotes={remote}"];
        var found = await new PointerScanner(session.Git).ScanHistoryAsync(include, exclude, cancellationToken).ToListAsync(cancellationToken);
        var errors = await PrePushCommand.UploadAsync(session, context, found, remote, null, cancellationToken);
        return errors == 0 ? 0 : 1;
    }
}
