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
/// <c>pre-push &lt;remote&gt; &lt;url&gt;</c>: checks the pushed LFS files against the server's locks
/// (<see cref="Locking.LockVerifier"/>), then uploads the LFS objects of the commits being pushed,
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
        var trace = Trace.Start(context);
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        await trace.StepAsync("opened the repository and its config");
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
            // The server is asked about locks while the commits are scanned: neither waits for the other.
            var scan = new PointerScanner(session.Git).ScanHistoryAsync([update.LocalSha], exclude, cancellationToken).ToListAsync(cancellationToken).AsTask();
            if (!await new Locking.LockVerifier(session, remoteName).VerifyAsync(update.RemoteRef, PathsAsync(scan), cancellationToken))
            {
                return 1;
            }
            var found = await scan;
            await trace.StepAsync($"found {found.Count} pointers to push to {update.RemoteRef} and verified locks");
            errors += await UploadAsync(session, context, found, remoteName, update.RemoteRef, cancellationToken);
            await trace.StepAsync("uploaded");
        }
        if (errors > 0)
        {
            await context.Error.WriteLineAsync("error: failed to push some LFS objects; the push was aborted so the remote never holds pointers without data.");
            return 1;
        }
        return 0;
    }

    private static async Task<List<string>> PathsAsync(Task<List<ScannedPointer>> scan) => [.. (await scan).Select(f => f.Path)];

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
