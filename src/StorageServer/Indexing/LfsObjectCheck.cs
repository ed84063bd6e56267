using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Entities;

namespace StorageServer.Indexing;

/// <summary>Which LFS objects a repository holds: it claims them and their bytes are live.</summary>
public sealed class LfsObjectCheck(StorageDbContext db)
{
    private const int OidsPerQuery = 500;

    /// <summary>
    /// The pointers whose object this repository does not hold. Empty files are their own
    /// pointer (size 0, never uploaded), so they are never missing.
    /// </summary>
    public async Task<IReadOnlyList<PointerEntry>> FindMissingAsync(long repositoryId, IReadOnlyList<PointerEntry> pointers, CancellationToken cancellationToken)
    {
        var wanted = pointers.Where(p => p.Pointer.Size > 0).Select(p => p.Pointer.Oid.Value).Distinct(StringComparer.Ordinal).ToList();
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Chunk(OidsPerQuery))
        {
            var found = await db.RepoObjects.AsNoTracking()
                .Where(c => c.RepositoryId == repositoryId && chunk.Contains(c.Oid))
                .Join(db.Objects.Where(o => o.State == ObjectState.Live), c => c.Oid, o => o.Oid, (c, o) => c.Oid)
                .ToListAsync(cancellationToken);
            held.UnionWith(found);
        }
        return pointers.Where(p => p.Pointer.Size > 0 && !held.Contains(p.Pointer.Oid.Value)).ToList();
    }

    /// <summary>
    /// The pointers whose object this repository has lost for good: not held (as
    /// <see cref="FindMissingAsync"/>) and not in its retention trash with the bytes still stored.
    /// For the trees of pushed tips, whose objects the client does not upload again: a trashed claim
    /// comes back when a protected tip names it (the reachability refresh after the push revives it),
    /// but an erased, swept or never uploaded object does not.
    /// </summary>
    public async Task<IReadOnlyList<PointerEntry>> FindLostAsync(long repositoryId, IReadOnlyList<PointerEntry> pointers, CancellationToken cancellationToken)
    {
        var missing = await FindMissingAsync(repositoryId, pointers, cancellationToken);
        var wanted = missing.Select(p => p.Pointer.Oid.Value).Distinct(StringComparer.Ordinal).ToList();
        var trashed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Chunk(OidsPerQuery))
        {
            var found = await db.Set<TrashEntry>().AsNoTracking()
                .Where(t => t.RepositoryId == repositoryId && t.State == TrashState.Trashed && chunk.Contains(t.Oid))
                .Join(db.Objects.Where(o => o.State == ObjectState.Live || o.State == ObjectState.Trashed), t => t.Oid, o => o.Oid, (t, o) => t.Oid)
                .ToListAsync(cancellationToken);
            trashed.UnionWith(found);
        }
        return missing.Where(p => !trashed.Contains(p.Pointer.Oid.Value)).ToList();
    }
}
