using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Settings;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// The push check for DVC: every output the pushed commits introduce must be on the server for
/// this repository, complete (a directory's manifest and all its entries), as the LFS check
/// requires of pointers. Per repository it refuses (default) or warns.
/// </summary>
public sealed class DvcPushCheck(StorageDbContext db, DvcObjectLookup lookup)
{
    public async Task<DvcPushVerdict> CheckAsync(long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, CancellationToken cancellationToken)
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
        return new DvcPushVerdict(missing, mode);
    }

    public async Task<DvcPushCheckMode> ModeAsync(long repositoryId, CancellationToken cancellationToken) =>
        await db.Set<DvcRepositorySettings>().AsNoTracking().Where(s => s.RepositoryId == repositoryId)
            .Select(s => (DvcPushCheckMode?)s.PushCheck).SingleOrDefaultAsync(cancellationToken) ?? DvcPushCheckMode.Enforce;
}
