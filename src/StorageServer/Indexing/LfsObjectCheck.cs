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
    public Task<IReadOnlyList<PointerEntry>> FindMissingAsync(long repositoryId, IReadOnlyList<PointerEntry> pointers, CancellationToken cancellationToken) =>
        FindMissingOrLostAsync(repositoryId, pointers, [], cancellationToken);

    /// <summary>
    /// The pointers whose object this repository has lost for good (<see cref="FindLostOidsAsync"/>).
    /// For the trees of pushed tips, whose objects the client does not upload again.
    /// </summary>
    public Task<IReadOnlyList<PointerEntry>> FindLostAsync(long repositoryId, IReadOnlyList<PointerEntry> pointers, CancellationToken cancellationToken) =>
        FindMissingOrLostAsync(repositoryId, [], pointers, cancellationToken);

    /// <summary>
    /// The push check's LFS half with one read of the claims for both kinds of pointer (a push of a
    /// new branch names the same objects in its new commits and at its tip): those of
    /// <paramref name="introduced"/> (the new commits') this repository does not hold, decided before
    /// anything is revived, as <see cref="FindMissingAsync"/>; then those of <paramref name="atTips"/>
    /// (the pushed tips' trees') it has lost for good, as <see cref="FindLostAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<PointerEntry>> FindMissingOrLostAsync(
        long repositoryId, IReadOnlyList<PointerEntry> introduced, IReadOnlyList<PointerEntry> atTips, CancellationToken cancellationToken)
    {
        var notHeld = await NotHeldAsync(repositoryId, Uploaded([.. introduced, .. atTips]), cancellationToken);
        if (notHeld.Count == 0)
        {
            return [];
        }
        var missing = introduced.Where(p => notHeld.Contains(p.Pointer.Oid.Value)).ToList();
        var lost = await LostAfterRevivalAsync(repositoryId, Uploaded(atTips).Where(notHeld.Contains).ToList(), cancellationToken);
        missing.AddRange(atTips.Where(p => lost.Contains(p.Pointer.Oid.Value)));
        return missing;
    }

    /// <summary>
    /// Of <paramref name="oids"/>, the objects this repository has lost for good: not held (claimed
    /// with live bytes) and not a claim in its retention trash that can be put back. A trashed claim
    /// whose bytes are still stored is put back here, before the push is accepted: the pushed ref
    /// does not exist until git updates it after this check, so a sweep in between would find no ref
    /// keeping the object and delete what the new ref names. One the sweep took first is lost, as is
    /// an erased or never uploaded object.
    /// </summary>
    public async Task<IReadOnlySet<string>> FindLostOidsAsync(long repositoryId, IReadOnlyCollection<string> oids, CancellationToken cancellationToken) =>
        await LostAfterRevivalAsync(repositoryId, await NotHeldAsync(repositoryId, oids, cancellationToken), cancellationToken);

    /// <summary>Of <paramref name="notHeld"/> (objects not held), those still not held after their trashed claims are put back.</summary>
    private async Task<IReadOnlySet<string>> LostAfterRevivalAsync(long repositoryId, IReadOnlyCollection<string> notHeld, CancellationToken cancellationToken)
    {
        if (notHeld.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var revived = await trash.ReviveAsync(repositoryId, notHeld, "a pushed ref names it", cancellationToken);
        return revived == 0 ? notHeld.ToHashSet(StringComparer.Ordinal) : await NotHeldAsync(repositoryId, notHeld, cancellationToken);
    }

    private static List<string> Uploaded(IReadOnlyList<PointerEntry> pointers) =>
        pointers.Where(p => p.Pointer.Size > 0).Select(p => p.Pointer.Oid.Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Those of <paramref name="oids"/> this repository does not claim with live bytes.</summary>
    private async Task<HashSet<string>> NotHeldAsync(long repositoryId, IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var missing = oids.ToHashSet(StringComparer.Ordinal);
        foreach (var chunk in oids.Distinct(StringComparer.Ordinal).Chunk(OidsPerQuery))
        {
            // One array parameter (json_each on SQLite), not one per oid: SQLite binds a named
            // parameter by a linear search of the statement's names, so 500 of them cost 125,000
            // string compares per query (a tenth of a 1,000-pointer push's server CPU with the inserts).
            var found = await db.RepoObjects.AsNoTracking()
                .Where(c => c.RepositoryId == repositoryId && EF.Parameter(chunk).Contains(c.Oid))
                .Join(db.Objects.Where(o => o.State == ObjectState.Live), c => c.Oid, o => o.Oid, (c, o) => c.Oid)
                .ToListAsync(cancellationToken);
            missing.ExceptWith(found);
        }
        return missing;
    }
}
