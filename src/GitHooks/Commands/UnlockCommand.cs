using GitHooks.Locking;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage unlock &lt;path…&gt; | --id &lt;id&gt; [--force] [--remote] [--json]</c>, as
/// <c>git lfs unlock</c>: finds each path's lock (exactly one must match), then releases it;
/// someone else's lock needs <c>--force</c> and the server's consent.
/// </summary>
public sealed class UnlockCommand(ICommandContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<string> paths, string? id, bool force, string? remote, bool json, CancellationToken cancellationToken)
    {
        if ((id is null) == (paths.Count == 0))
        {
            throw new LocalStorage.UserException("name the files to unlock, or give --id <lock id> (not both).");
        }
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var locks = await LockSession.OpenAsync(session, remote, cancellationToken);
        var targets = new List<(string Label, string? Id)>();
        if (id is not null)
        {
            targets.Add((id, id));
        }
        foreach (var raw in paths)
        {
            var path = locks.RepositoryPath(raw, context.WorkingDirectory);
            var found = await locks.Client.ListAsync(path, null, null, null, cancellationToken);
            targets.Add((path, found.Count == 1 ? found[0].Id : null));
            if (found.Count != 1)
            {
                await context.Error.WriteLineAsync(found.Count == 0 ? $"Unlocking {path} failed: no matching locks found" : $"Unlocking {path} failed: multiple locks found; ambiguous, use --id");
            }
        }
        var failed = targets.Count(t => t.Id is null);
        var released = new List<StorageServer.Protocol.Locks.LfsLock>();
        foreach (var (label, lockId) in targets.Where(t => t.Id is not null))
        {
            try
            {
                var unlocked = await locks.Client.UnlockAsync(lockId!, force, locks.RefName, cancellationToken);
                released.Add(unlocked);
                if (!json)
                {
                    await context.Out.WriteLineAsync($"Unlocked {unlocked.Path}");
                }
            }
            catch (LockApiException ex)
            {
                failed++;
                var hint = ex.Status == 403 && !force ? " (it is someone else's: --force unlocks it if you have admin access)" : string.Empty;
                await context.Error.WriteLineAsync($"Unlocking {label} failed: {ex.Message}{hint}");
            }
        }
        if (json)
        {
            await context.Out.WriteLineAsync(LockOutput.JsonArray(released));
        }
        return failed == 0 ? 0 : 2;
    }
}
