using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Objects;

/// <summary>What a repository may do with an object it asks about.</summary>
public enum ClaimState
{
    /// <summary>This repository does not claim the object (it may exist for others): 404.</summary>
    Missing,

    /// <summary>Claimed and servable.</summary>
    Live,

    /// <summary>Claimed but deliberately removed (deleted tombstone): 410.</summary>
    Gone,

    /// <summary>Claimed but erased under a data-protection request: 410 saying so.</summary>
    Erased,

    /// <summary>Claimed but not servable right now (pending, trashed, restricted): 404.</summary>
    Unavailable,
}

public readonly record struct ClaimStatus(ClaimState State, long Size);

/// <summary>
/// Reads a repository's claims on objects together with the objects' states. A repository sees
/// only what it claims: an object held for another repository looks exactly like a missing one.
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
        return result;
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
        var hashes = byHash.Keys.ToList();
        var found = await db.Objects.AsNoTracking()
            .Where(o => oids.Contains(o.Oid) && (o.State == ObjectState.Purged || o.State == ObjectState.Restricted))
            .Select(o => o.Oid)
            .Concat(db.Set<Erasure.Data.ErasureTombstone>().Where(t => hashes.Contains(t.OidHash)).Select(t => t.OidHash))
            .ToListAsync(cancellationToken);
        return found.Select(f => byHash.GetValueOrDefault(f, f)).ToHashSet(StringComparer.Ordinal);
    }

    public static ClaimState Classify(ObjectState state) => state switch
    {
        ObjectState.Live => ClaimState.Live,
        ObjectState.Deleted => ClaimState.Gone,
        ObjectState.Purged => ClaimState.Erased,
        _ => ClaimState.Unavailable,
    };
}
