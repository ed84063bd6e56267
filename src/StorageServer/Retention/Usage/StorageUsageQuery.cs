using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Objects;
using StorageServer.Retention.Api;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Usage;

/// <summary>
/// What each repository claims and has in the trash, and what the store holds (each stored object
/// counted once however many repositories claim it), with the share that came through DVC remotes.
/// Shared by the admin API and the console.
/// </summary>
public sealed class StorageUsageQuery(StorageDbContext db, TimeProvider clock)
{
    public async Task<StorageUsageResponse> GetAsync(CancellationToken cancellationToken)
    {
        var claimed = await (
                from claim in db.RepoObjects
                join stored in db.Objects on claim.Oid equals stored.Oid
                where stored.State == ObjectState.Live
                group stored by claim.RepositoryId into g
                select new { RepositoryId = g.Key, Objects = g.LongCount(), Bytes = g.Sum(o => o.Size) })
            .ToDictionaryAsync(r => r.RepositoryId, cancellationToken);
        var mappings = db.Set<DvcObject>();
        var claimedDvc = await (
                from claim in db.RepoObjects
                join stored in db.Objects on claim.Oid equals stored.Oid
                where stored.State == ObjectState.Live && mappings.Any(m => m.RepositoryId == claim.RepositoryId && m.Oid == claim.Oid)
                group stored by claim.RepositoryId into g
                select new { RepositoryId = g.Key, Objects = g.LongCount(), Bytes = g.Sum(o => o.Size) })
            .ToDictionaryAsync(r => r.RepositoryId, cancellationToken);
        var liveDvc = await db.Objects.Where(o => o.State == ObjectState.Live && mappings.Any(m => m.Oid == o.Oid))
            .GroupBy(o => 1).Select(g => new { Objects = g.LongCount(), Bytes = g.Sum(o => o.Size) }).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var trashed = await db.Set<TrashEntry>().Where(t => t.State == TrashState.Trashed)
            .GroupBy(t => t.RepositoryId)
            .Select(g => new
            {
                RepositoryId = g.Key,
                Objects = g.LongCount(),
                Bytes = g.Sum(t => t.Size),
                Reclaimable = g.Where(t => t.RestoreUntil <= now).Sum(t => t.Size),
            })
            .ToDictionaryAsync(r => r.RepositoryId, cancellationToken);
        var repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        var rows = repositories.Select(r => new RepoUsage(r.Name,
            claimed.GetValueOrDefault(r.Id)?.Objects ?? 0, claimed.GetValueOrDefault(r.Id)?.Bytes ?? 0,
            trashed.GetValueOrDefault(r.Id)?.Objects ?? 0, trashed.GetValueOrDefault(r.Id)?.Bytes ?? 0,
            trashed.GetValueOrDefault(r.Id)?.Reclaimable ?? 0,
            claimedDvc.GetValueOrDefault(r.Id)?.Objects ?? 0, claimedDvc.GetValueOrDefault(r.Id)?.Bytes ?? 0)).ToList();
        var states = await db.Objects.GroupBy(o => o.State).Select(g => new { State = g.Key, Objects = g.LongCount(), Bytes = g.Sum(o => o.Size) })
            .ToDictionaryAsync(s => s.State, cancellationToken);
        return new StorageUsageResponse(rows,
            states.GetValueOrDefault(ObjectState.Live)?.Objects ?? 0, states.GetValueOrDefault(ObjectState.Live)?.Bytes ?? 0,
            states.GetValueOrDefault(ObjectState.Trashed)?.Objects ?? 0, states.GetValueOrDefault(ObjectState.Trashed)?.Bytes ?? 0,
            states.GetValueOrDefault(ObjectState.Deleted)?.Objects ?? 0,
            liveDvc?.Objects ?? 0, liveDvc?.Bytes ?? 0);
    }
}
