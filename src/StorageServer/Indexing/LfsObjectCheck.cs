using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;

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
}
