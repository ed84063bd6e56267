using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Manifests;
using StorageServer.Objects;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// Resolves a repository's DVC objects: MD5 (in its tree) → SHA-256 → claim state, through this
/// repository's own uploads only. A manifest counts as present only while every entry is.
/// </summary>
public sealed class DvcObjectLookup(StorageDbContext db, ObjectClaims claims)
{
    private const int HashesPerQuery = 500;

    public async Task<DvcObjectStatus> FindAsync(long repositoryId, DvcHash hash, CancellationToken cancellationToken)
    {
        var mapped = await db.Set<DvcObject>().AsNoTracking()
            .Where(o => o.RepositoryId == repositoryId && o.Legacy == hash.Legacy && o.Hash == hash.Value)
            .Select(o => o.Oid).SingleOrDefaultAsync(cancellationToken);
        if (mapped is null)
        {
            return DvcObjectStatus.Unknown;
        }
        var claim = await claims.FindAsync(repositoryId, mapped, cancellationToken);
        var missing = hash.IsManifest && claim.State == ClaimState.Live
            ? await CountMissingEntriesAsync(repositoryId, mapped, hash.Legacy, cancellationToken)
            : 0;
        return new DvcObjectStatus(claim.State, mapped, claim.Size, missing);
    }

    /// <summary>How many entries of the stored manifest <paramref name="manifestOid"/> this repository does not hold live.</summary>
    public Task<int> CountMissingEntriesAsync(long repositoryId, string manifestOid, bool legacy, CancellationToken cancellationToken) =>
        db.Set<DvcManifestEntry>().AsNoTracking()
            .Where(e => e.ManifestOid == manifestOid)
            .CountAsync(e => !LiveMappings(repositoryId, legacy).Any(m => m.Hash == e.Md5), cancellationToken);

    /// <summary>Of <paramref name="md5s"/> (file objects of one tree), those this repository holds live, with their SHA-256 and size.</summary>
    public async Task<Dictionary<string, (string Oid, long Size)>> FindLiveFilesAsync(
        long repositoryId, bool legacy, IReadOnlyCollection<string> md5s, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        foreach (var chunk in md5s.Distinct(StringComparer.Ordinal).Chunk(HashesPerQuery))
        {
            var rows = await (
                    from m in LiveMappings(repositoryId, legacy)
                    join o in db.Objects on m.Oid equals o.Oid
                    where chunk.Contains(m.Hash)
                    select new { m.Hash, m.Oid, o.Size })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                found[row.Hash] = (row.Oid, row.Size);
            }
        }
        return found;
    }

    /// <summary>This repository's mappings whose object it claims and whose bytes are live.</summary>
    private IQueryable<DvcObject> LiveMappings(long repositoryId, bool legacy) =>
        db.Set<DvcObject>().AsNoTracking().Where(m => m.RepositoryId == repositoryId && m.Legacy == legacy
            && db.RepoObjects.Any(c => c.RepositoryId == repositoryId && c.Oid == m.Oid)
            && db.Objects.Any(o => o.Oid == m.Oid && o.State == ObjectState.Live));
}
