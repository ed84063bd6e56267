namespace GitHooks.Locking;

/// <summary>
/// pre-push's lock check, as git-lfs does it (commands/lockverifier.go), driven by
/// <c>lfs.&lt;endpoint&gt;.locksverify</c> (else <c>lfs.locksverify</c>):
/// <list type="bullet">
/// <item><c>false</c>: no call.</item>
/// <item>unset: asks <c>/locks/verify</c>; files locked by others are reported but the push goes
/// on; a server without locking (404/501) gets <c>locksverify=false</c> written for good, other
/// failures a hint.</item>
/// <item><c>true</c>: a push touching a file someone else locked is refused, and so is any failure
/// to ask (except a server without locking).</item>
/// </list>
/// Your own locks on pushed files are listed with a reminder to unlock them.
/// </summary>
public sealed class LockVerifier(LfsSession session, string remote)
{
    /// <summary>False when the push must stop.</summary>
    /// <param name="pushedPaths">The paths of the LFS files being pushed, still being scanned: the server is asked meanwhile.</param>
    public async Task<bool> VerifyAsync(string? remoteRef, Task<List<string>> pushedPaths, CancellationToken cancellationToken)
    {
        var endpoint = session.Endpoint(remote, upload: true);
        var key = $"lfs.{endpoint.Url.AbsoluteUri}.locksverify";
        var configured = session.Config.Get(key) ?? session.Config.Get("lfs.locksverify");
        if (configured is not null && !session.Config.GetBool(key, session.Config.GetBool("lfs.locksverify", true)))
        {
            return true;
        }
        var enforced = configured is not null;
        var error = session.Context.Error;
        List<StorageServer.Protocol.Locks.LfsLock> ours, theirs;
        try
        {
            (ours, theirs) = await new LockClient(session.ApiClient(endpoint), endpoint.Url).VerifyAsync(remoteRef, cancellationToken);
        }
        catch (LockApiException ex) when (ex.NotSupported)
        {
            // git-lfs's rule: a server without the locking API is not asked again from this clone.
            await session.Git.RunAsync(["config", "--local", key, "false"], null, cancellationToken);
            return true;
        }
        catch (LockApiException ex)
        {
            if (enforced)
            {
                await error.WriteLineAsync($"error: could not verify locks with {endpoint.Url}: {ex.Message}. The push was stopped because {key} is true; set it to false to push without the check.");
                return false;
            }
            await error.WriteLineAsync($"Remote \"{remote}\" does not support the Git LFS locking API ({ex.Message}). Consider disabling it with:");
            await error.WriteLineAsync($"  $ git config {key} false");
            return true;
        }
        if (!enforced)
        {
            await error.WriteLineAsync($"Locking support detected on remote \"{remote}\". Consider enabling it with:");
            await error.WriteLineAsync($"  $ git config {key} true");
        }
        var pushed = (await pushedPaths).ToHashSet(StringComparer.Ordinal);
        var mine = ours.Where(l => pushed.Contains(l.Path)).ToList();
        if (mine.Count > 0)
        {
            await error.WriteLineAsync("Consider unlocking your own locked files: (git storage unlock <path>)");
            foreach (var item in mine)
            {
                await error.WriteLineAsync($"* {item.Path}");
            }
        }
        var blocked = theirs.Where(l => pushed.Contains(l.Path)).ToList();
        if (blocked.Count == 0)
        {
            return true;
        }
        await error.WriteLineAsync("Unable to push locked files:");
        foreach (var item in blocked)
        {
            await error.WriteLineAsync($"* {item.Path} - {item.Owner?.Name ?? "someone else"}");
        }
        if (enforced)
        {
            await error.WriteLineAsync("Cannot update locked files. Ask the owner to unlock them (or an admin to 'git storage unlock --force'), then push again.");
            return false;
        }
        return true;
    }
}
