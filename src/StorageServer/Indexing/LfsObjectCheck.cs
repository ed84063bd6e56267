using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Trash;

namespace StorageServer.Indexing;

/// <summary>Which LFS objects a repository holds: it claims them and their bytes are live.</summary>
public sealed class LfsObjectCheck(StorageDbContext db, TrashService trash)
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
    /// <see cref="FindMissingAsync"/>) and not a claim in its retention trash that can be put back.
    /// For the trees of pushed tips, whose objects the client does not upload again. A trashed claim
    /// whose bytes are still stored is put back here, before the push is accepted: the pushed ref
    /// does not exist until git updates it after this check, so a sweep in between would find no ref
    /// keeping the object and delete what the new ref names. One the sweep took first is lost, as is
    /// an erased or never uploaded object.
    /// </summary>
    public async Task<IReadOnlyList<PointerEntry>> FindLostAsync(long repositoryId, IReadOnlyList<PointerEntry> pointers, CancellationToken cancellationToken)
    {
        var missing = await FindMissingAsync(repositoryId, pointers, cancellationToken);
        if (missing.Count == 0)
        {
            return missing;
        }
        var wanted = missing.Select(p => p.Pointer.Oid.Value).Distinct(StringComparer.Ordinal).ToList();
        var revived = await trash.ReviveAsync(repositoryId, wanted, "a pushed ref names it", cancellationToken);
        return revived == 0 ? missing : await FindMissingAsync(repositoryId, missing, cancellationToken);
    }
}
