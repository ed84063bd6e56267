using GitHooks.Git;
using GitHooks.LocalStorage;
using StorageServer.Protocol;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Commands;

/// <summary>One line git gives pre-push on stdin.</summary>
public sealed record RefUpdate(string LocalRef, string LocalSha, string RemoteRef, string RemoteSha)
{
    public static List<RefUpdate> ParseAll(string input) =>
        [.. input.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Where(f => f.Length == 4)
            .Select(f => new RefUpdate(f[0], f[1], f[2], f[3]))];
}

/// <summary>
/// <c>pre-push &lt;remote&gt; &lt;url&gt;</c>: uploads the LFS objects of the commits being pushed,
/// before git sends them. Commits the remote already has (its sha, its tracking refs) are not
/// scanned. Any failure exits non-zero, which makes git abort the push.
/// </summary>
public sealed class PrePushCommand(ICommandContext context)
{
    public async Task<int> RunAsync(string remote, string? url, CancellationToken cancellationToken)
    {
        string input;
        using (var reader = new StreamReader(context.StdIn, leaveOpen: true))
        {
            input = await reader.ReadToEndAsync(cancellationToken);
        }
        if (context.GetEnvironmentVariable("GIT_LFS_SKIP_PUSH") == "1")
        {
            return 0;
        }
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        // A push to a URL (no remote of that name) uses the URL itself for discovery.
        var remoteName = session.Config.Get($"remote.{remote}.url") is null && url is not null ? url : remote;
        var errors = 0;
        foreach (var update in RefUpdate.ParseAll(input).Where(u => !CheckoutPointers.IsNullSha(u.LocalSha)))
        {
            List<string> exclude = [];
            if (!CheckoutPointers.IsNullSha(update.RemoteSha) && (await session.Git.RunAsync(cancellationToken, "cat-file", "-e", update.RemoteSha)).Succeeded)
            {
                exclude.Add(update.RemoteSha);
            }
            if (remoteName == remote)
            {
                exclude.Add($"--remotes={remote}");
            }
            var found = await new PointerScanner(session.Git).ScanHistoryAsync([update.LocalSha], exclude, cancellationToken).ToListAsync(cancellationToken);
            errors += await UploadAsync(session, context, found, remoteName, update.RemoteRef, cancellationToken);
        }
        if (errors > 0)
        {
            await context.Error.WriteLineAsync("error: failed to push some LFS objects; the push was aborted so the remote never holds pointers without data.");
            return 1;
        }
        return 0;
    }

    /// <summary>Uploads the objects behind <paramref name="found"/>; returns the number of errors printed.</summary>
    internal static async Task<int> UploadAsync(LfsSession session, ICommandContext context, IReadOnlyCollection<ScannedPointer> found, string remote, string? refName, CancellationToken cancellationToken)
    {
        var pointers = found.Select(f => f.Pointer).Where(p => p.Size > 0).DistinctBy(p => p.Oid).ToList();
        if (pointers.Count == 0)
        {
            return 0;
        }
        var names = found.GroupBy(f => f.Pointer.Oid).ToDictionary(g => g.Key, g => g.First().Path);
        try
        {
            var result = await session.UploadAsync(pointers, remote, refName, cancellationToken);
            return await TransferReport.PrintAsync(context, result, names, upload: true);
        }
        catch (UserException ex)
        {
            await context.Error.WriteLineAsync($"error: could not upload LFS objects: {ex.Message}");
            return 1;
        }
    }
}

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

/// <summary><c>git storage fetch [remote] [ref…] [--all]</c>: fills the local cache without touching the work tree.</summary>
public sealed class FetchCommand(ICommandContext context)
{
    public async Task<int> RunAsync(string? remote, IReadOnlyList<string> refs, bool all, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        remote ??= await session.DefaultRemoteAsync(cancellationToken);
        var scanner = new PointerScanner(session.Git);
        var found = new List<ScannedPointer>();
        if (all)
        {
            found.AddRange(await scanner.ScanHistoryAsync(["--all"], [], cancellationToken).ToListAsync(cancellationToken));
        }
        else
        {
            foreach (var reference in refs.Count > 0 ? refs : ["HEAD"])
            {
                found.AddRange(await scanner.ScanTreeAsync(reference, cancellationToken).ToListAsync(cancellationToken));
            }
        }
        var missing = found.Select(f => f.Pointer).Where(p => !session.Repository.Objects.Contains(p)).DistinctBy(p => p.Oid).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }
        var names = found.GroupBy(f => f.Pointer.Oid).ToDictionary(g => g.Key, g => g.First().Path);
        var result = await session.DownloadAsync(missing, remote, null, cancellationToken);
        var errors = await TransferReport.PrintAsync(context, result, names, upload: false);
        return errors == 0 ? 0 : 1;
    }
}
