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
        var missing = await NotHeldAsync(repositoryId, Uploaded(pointers), cancellationToken);
        return pointers.Where(p => missing.Contains(p.Pointer.Oid.Value)).ToList();
    }

    /// <summary>
    /// The pointers whose object this repository has lost for good (<see cref="FindLostOidsAsync"/>).
    /// For the trees of pushed tips, whose objects the client does not upload again.
    /// </summary>
    public async Task<IReadOnlyList<PointerEntry>> FindLostAsync(long repositoryId, IReadOnlyList<PointerEntry> pointers, CancellationToken cancellationToken)
    {
        var lost = await FindLostOidsAsync(repositoryId, Uploaded(pointers), cancellationToken);
        return pointers.Where(p => lost.Contains(p.Pointer.Oid.Value)).ToList();
    }

    /// <summary>
    /// Of <paramref name="oids"/>, the objects this repository has lost for good: not held (claimed
    /// with live bytes) and not a claim in its retention trash that can be put back. A trashed claim
    /// whose bytes are still stored is put back here, before the push is accepted: the pushed ref
    /// does not exist until git updates it after this check, so a sweep in between would find no ref
    /// keeping the object and delete what the new ref names. One the sweep took first is lost, as is
    /// an erased or never uploaded object.
    /// </summary>
    public async Task<IReadOnlySet<string>> FindLostOidsAsync(long repositoryId, IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var missing = await NotHeldAsync(repositoryId, oids, cancellationToken);
        if (missing.Count == 0)
        {
            return missing;
        }
        var revived = await trash.ReviveAsync(repositoryId, missing, "a pushed ref names it", cancellationToken);
        return revived == 0 ? missing : await NotHeldAsync(repositoryId, missing, cancellationToken);
    }

    private static List<string> Uploaded(IReadOnlyList<PointerEntry> pointers) =>
        pointers.Where(p => p.Pointer.Size > 0).Select(p => p.Pointer.Oid.Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Those of <paramref name="oids"/> this repository does not claim with live bytes.</summary>
    private async Task<HashSet<string>> NotHeldAsync(long repositoryId, IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var missing = oids.ToHashSet(StringComparer.Ordinal);
        foreach (var chunk in oids.Distinct(StringComparer.Ordinal).Chunk(OidsPerQuery))
        {
            var found = await db.RepoObjects.AsNoTracking()
                .Where(c => c.RepositoryId == repositoryId && chunk.Contains(c.Oid))
                .Join(db.Objects.Where(o => o.State == ObjectState.Live), c => c.Oid, o => o.Oid, (c, o) => c.Oid)
                .ToListAsync(cancellationToken);
            missing.ExceptWith(found);
        }
        return missing;
    }
}
