using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Entities;

namespace StorageServer.Objects;

/// <summary>What a repository may do with an object it asks about.</summary>
public enum ClaimState
{
    /// <summary>This repository does not claim the object (it may exist for others): 404.</summary>
    Missing,

    /// <summary>Claimed and servable.</summary>
    Live,

    /// <summary>
    /// Deliberately removed by retention: claimed with the bytes deleted (a tombstone claim), or a
    /// claim a sweep released while other repositories still hold the bytes: 410.
    /// </summary>
    Gone,

    /// <summary>Claimed but erased under a data-protection request: 410 saying so.</summary>
    Erased,

    /// <summary>Claimed but not servable right now (pending, trashed, restricted): 404.</summary>
    Unavailable,
}

public readonly record struct ClaimStatus(ClaimState State, long Size);

/// <summary>
/// Reads a repository's claims on objects together with the objects' states. A repository sees
/// only what it claims: an object held for another repository looks exactly like a missing one,
/// unless this repository claimed it until a retention sweep released its claim (then it is gone
/// for this repository whatever the others still hold, as it is once the bytes are deleted).
/// </summary>
public sealed class ObjectClaims(StorageDbContext db, Erasure.SubjectHasher hasher)
{
    /// <summary>The claim status of each of <paramref name="oids"/>; oids without a claim are absent from the result.</summary>
    public async Task<Dictionary<string, ClaimStatus>> FindAsync(long repositoryId, IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ClaimStatus>(StringComparer.Ordinal);
        if (oids.Count == 0)
        {
            return result;
        }
        var rows = await (
                from claim in db.RepoObjects
                join stored in db.Objects on claim.Oid equals stored.Oid
                where claim.RepositoryId == repositoryId && oids.Contains(claim.Oid)
                select new { stored.Oid, stored.Size, stored.State })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            result[row.Oid] = new ClaimStatus(Classify(row.State), row.Size);
        }
        if (result.Count < oids.Count)
        {
            await AddReleasedAsync(repositoryId, oids.Where(o => !result.ContainsKey(o)).Distinct(StringComparer.Ordinal).ToList(), result, cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// Of <paramref name="unclaimed"/>, those whose latest trash entry in this repository is a claim a
    /// sweep released (the bytes stayed for other repositories then): gone, or erased once an erasure
    /// purged the bytes. A claim trashed again after a re-upload is in the trash (404) until swept.
    /// </summary>
    private async Task AddReleasedAsync(long repositoryId, List<string> unclaimed, Dictionary<string, ClaimStatus> result, CancellationToken cancellationToken)
    {
        var entries = await (
                from entry in db.Set<TrashEntry>()
                join stored in db.Objects on entry.Oid equals stored.Oid
                where entry.RepositoryId == repositoryId && unclaimed.Contains(entry.Oid)
                select new { entry.Id, entry.Oid, entry.State, stored.Size, Stored = stored.State })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        foreach (var latest in entries.GroupBy(e => e.Oid, StringComparer.Ordinal).Select(g => g.MaxBy(e => e.Id)!))
        {
            if (latest.State == TrashState.ClaimReleased)
            {
                result[latest.Oid] = new ClaimStatus(latest.Stored == ObjectState.Purged ? ClaimState.Erased : ClaimState.Gone, latest.Size);
            }
        }
    }

    public async Task<ClaimStatus> FindAsync(long repositoryId, string oid, CancellationToken cancellationToken) =>
        (await FindAsync(repositoryId, [oid], cancellationToken)).GetValueOrDefault(oid, new ClaimStatus(ClaimState.Missing, 0));

    /// <summary>
    /// Of <paramref name="oids"/>, those erased from the server (they may never be uploaded again)
    /// and those an approved erasure restricted (they are about to be): an upload of either is refused.
    /// </summary>
    public async Task<HashSet<string>> FindErasedAsync(IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        if (oids.Count == 0)
        {
            return [];
        }
        // The tombstone (keyed hash) outlives the object row, whatever later cleanup does to it.
        // Both are read in one round trip: this runs for every upload batch and every PUT.
        var byHash = oids.Distinct(StringComparer.Ordinal).ToDictionary(hasher.Oid, o => o, StringComparer.Ordinal);
        var found = await FindErasedMarks(db, oids, byHash.Keys).ToListAsync(cancellationToken);
        return found.Select(f => byHash.GetValueOrDefault(f, f)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The one definition of "erased" (an upload of it is refused), as a query others compose into
    /// their own round trip: of the oids (second parameter), the oid of each whose object row an
    /// erasure purged or restricted, and of their keyed hashes (third, <see cref="Erasure.SubjectHasher.Oid"/>),
    /// each with an erasure tombstone, which outlives the object row whatever later cleanup does to
    /// it. An expression, so a compiled query can inline it (see <see cref="Retention.Sweeping.UploadLeases"/>).
    /// </summary>
    public static readonly Expression<Func<StorageDbContext, IEnumerable<string>, IEnumerable<string>, IQueryable<string>>> ErasedMarks =
        (db, oids, oidHashes) => db.Objects.AsNoTracking()
            .Where(o => oids.Contains(o.Oid) && (o.State == ObjectState.Purged || o.State == ObjectState.Restricted))
            .Select(o => o.Oid)
            .Concat(db.Set<Erasure.Data.ErasureTombstone>().AsNoTracking().Where(t => oidHashes.Contains(t.OidHash)).Select(t => t.OidHash));

    private static readonly Func<StorageDbContext, IEnumerable<string>, IEnumerable<string>, IQueryable<string>> FindErasedMarks = ErasedMarks.Compile();

    public static ClaimState Classify(ObjectState state) => state switch
    {
        ObjectState.Live => ClaimState.Live,
        ObjectState.Deleted => ClaimState.Gone,
        ObjectState.Purged => ClaimState.Erased,
        _ => ClaimState.Unavailable,
    };
}
