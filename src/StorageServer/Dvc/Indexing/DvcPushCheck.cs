using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Settings;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// The push check for DVC: every output the pushed commits introduce must be on the server for
/// this repository, complete (a directory's manifest and all its entries), as the LFS check
/// requires of pointers; with them go the outputs of the pushed tips' trees that this repository
/// lost for good (<see cref="DvcTipCheck"/>). Per repository it refuses (default) or warns.
/// </summary>
public sealed class DvcPushCheck(StorageDbContext db, DvcObjectLookup lookup)
{
    /// <param name="outputs">The outputs the new commits introduce.</param>
    /// <param name="lostAtTips">From <see cref="DvcTipCheck.FindLostAsync"/>, run first: it puts trashed claims back, which may make new outputs present.</param>
    public async Task<DvcPushVerdict> CheckAsync(
        long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, IReadOnlyList<DvcOutputEntry> lostAtTips, CancellationToken cancellationToken)
    {
        var mode = await ModeAsync(repositoryId, cancellationToken);
        var present = new Dictionary<DvcHash, bool>();
        var missing = new List<DvcOutputEntry>();
        foreach (var entry in outputs)
        {
            var hash = entry.Output.Hash;
            if (!present.TryGetValue(hash, out var found))
            {
                present[hash] = found = (await lookup.FindAsync(repositoryId, hash, cancellationToken)).Servable;
            }
            if (!found)
            {
                missing.Add(entry);
            }
        }
        missing.AddRange(lostAtTips.Where(l => !present.ContainsKey(l.Output.Hash)));
        return new DvcPushVerdict(missing, mode);
    }

    public async Task<DvcPushCheckMode> ModeAsync(long repositoryId, CancellationToken cancellationToken) =>
        await db.Set<DvcRepositorySettings>().AsNoTracking().Where(s => s.RepositoryId == repositoryId)
            .Select(s => (DvcPushCheckMode?)s.PushCheck).SingleOrDefaultAsync(cancellationToken) ?? DvcPushCheckMode.Enforce;
}
