using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Api;

public sealed record RepoUsage(string Repository, long Objects, long Bytes, long TrashedObjects, long TrashedBytes);

/// <summary>Bytes counts each stored object once, however many repositories claim it.</summary>
public sealed record StorageUsageResponse(IReadOnlyList<RepoUsage> Repositories, long LiveObjects, long LiveBytes, long TrashedObjects, long TrashedBytes, long DeletedObjects);

/// <summary><c>/api/storage/usage</c>: what each repository claims and has in the trash.</summary>
public static class UsageEndpoints
{
    public static void MapStorageUsageEndpoint(this RouteGroupBuilder storage) => storage.MapGet("/usage", UsageAsync);

    private static async Task<Ok<StorageUsageResponse>> UsageAsync(StorageDbContext db, CancellationToken cancellationToken)
    {
        var claimed = await (
                from claim in db.RepoObjects
                join stored in db.Objects on claim.Oid equals stored.Oid
                where stored.State == ObjectState.Live
                group stored by claim.RepositoryId into g
                select new { RepositoryId = g.Key, Objects = g.LongCount(), Bytes = g.Sum(o => o.Size) })
            .ToDictionaryAsync(r => r.RepositoryId, cancellationToken);
        var trashed = await db.Set<TrashEntry>().Where(t => t.State == TrashState.Trashed)
            .GroupBy(t => t.RepositoryId).Select(g => new { RepositoryId = g.Key, Objects = g.LongCount(), Bytes = g.Sum(t => t.Size) })
            .ToDictionaryAsync(r => r.RepositoryId, cancellationToken);
        var repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        var rows = repositories.Select(r => new RepoUsage(r.Name,
            claimed.GetValueOrDefault(r.Id)?.Objects ?? 0, claimed.GetValueOrDefault(r.Id)?.Bytes ?? 0,
            trashed.GetValueOrDefault(r.Id)?.Objects ?? 0, trashed.GetValueOrDefault(r.Id)?.Bytes ?? 0)).ToList();
        var states = await db.Objects.GroupBy(o => o.State).Select(g => new { State = g.Key, Objects = g.LongCount(), Bytes = g.Sum(o => o.Size) })
            .ToDictionaryAsync(s => s.State, cancellationToken);
        return TypedResults.Ok(new StorageUsageResponse(rows,
            states.GetValueOrDefault(ObjectState.Live)?.Objects ?? 0, states.GetValueOrDefault(ObjectState.Live)?.Bytes ?? 0,
            states.GetValueOrDefault(ObjectState.Trashed)?.Objects ?? 0, states.GetValueOrDefault(ObjectState.Trashed)?.Bytes ?? 0,
            states.GetValueOrDefault(ObjectState.Deleted)?.Objects ?? 0));
    }
}
