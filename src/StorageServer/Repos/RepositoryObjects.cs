using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Entities;

namespace StorageServer.Repos;

/// <param name="Path">Where the repository's history last put it (the pointer index), if pushed.</param>
/// <param name="LastRef">The protected ref whose tip referenced it last (retention's reachability).</param>
/// <param name="Claims">How many repositories claim the same bytes (dedup).</param>
public sealed record RepositoryObject(
    string Oid, long Size, string State, string UploadedBy, DateTimeOffset UploadedAt, string? FirstRef,
    string? Path, string? LastRef, bool? ReferencedByTip, int Claims);

/// <summary>A page of the LFS objects a repository claims, newest upload first, with where they sit in its history.</summary>
public sealed class RepositoryObjects(StorageDbContext db)
{
    public async Task<(List<RepositoryObject> Objects, int Total)> PageAsync(long repositoryId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var claims = db.RepoObjects.AsNoTracking().Where(c => c.RepositoryId == repositoryId);
        var total = await claims.CountAsync(cancellationToken);
        var rows = await (
                from claim in claims
                join stored in db.Objects on claim.Oid equals stored.Oid
                orderby claim.UploadedAt descending, claim.Oid
                select new { claim, stored.Size, stored.State })
            .Skip(Math.Max(0, page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var oids = rows.Select(r => r.claim.Oid).ToList();
        var paths = (await db.PointerRefs.AsNoTracking().Where(p => p.RepositoryId == repositoryId && oids.Contains(p.Oid))
                .Select(p => new { p.Oid, p.Path, p.Id }).ToListAsync(cancellationToken))
            .GroupBy(p => p.Oid).ToDictionary(g => g.Key, g => g.MaxBy(p => p.Id)!.Path);
        var reachability = await db.Set<Reachability>().AsNoTracking().Where(r => r.RepositoryId == repositoryId && oids.Contains(r.Oid))
            .ToDictionaryAsync(r => r.Oid, cancellationToken);
        var claimCounts = await db.RepoObjects.AsNoTracking().Where(c => oids.Contains(c.Oid)).GroupBy(c => c.Oid)
            .Select(g => new { Oid = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Oid, g => g.Count, cancellationToken);
        var objects = rows.Select(r =>
        {
            var reach = reachability.GetValueOrDefault(r.claim.Oid);
            return new RepositoryObject(r.claim.Oid, r.Size, StateName(r.State), r.claim.UploadedBy, r.claim.UploadedAt, r.claim.FirstRef,
                paths.GetValueOrDefault(r.claim.Oid) ?? reach?.LastPath, reach?.LastRef, reach?.ReferencedByTip, claimCounts.GetValueOrDefault(r.claim.Oid));
        }).ToList();
        return (objects, total);
    }

    private static string StateName(ObjectState state) => state.ToString().ToLowerInvariant();
}
