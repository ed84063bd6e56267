using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Objects;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// Writes a repository's MD5 → SHA-256 mappings (<c>dvc_objects</c>), after the bytes were stored
/// and claimed for it: by an upload of those bytes, or by the server itself for an object it made
/// for that repository (a redacted successor, a rewritten manifest).
/// </summary>
public sealed class DvcMappings(StorageDbContext db, ObjectClaims claims, TimeProvider clock)
{
    /// <summary>
    /// Records (or keeps) the mapping. The first live mapping wins: for the DVC 3 tree equal MD5s
    /// mean equal bytes barring a collision, and for the legacy tree a CRLF and an LF copy share an
    /// md5-dos2unix, so either serves. A mapping whose object is not live any more is replaced.
    /// Returns whether the repository did not have the object before.
    /// </summary>
    public async Task<bool> MapAsync(long repositoryId, DvcHash hash, string oid, long size, string user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var row = await db.Set<DvcObject>().SingleOrDefaultAsync(o => o.RepositoryId == repositoryId && o.Legacy == hash.Legacy && o.Hash == hash.Value, cancellationToken);
        if (row is null)
        {
            db.Add(new DvcObject { RepositoryId = repositoryId, Legacy = hash.Legacy, Hash = hash.Value, Oid = oid, Size = size, UploadedBy = user, UploadedAt = now });
        }
        else if (row.Oid == oid || (await claims.FindAsync(repositoryId, row.Oid, cancellationToken)).State == ClaimState.Live)
        {
            return false;
        }
        else
        {
            (row.Oid, row.Size, row.UploadedBy, row.UploadedAt) = (oid, size, user, now);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            // A concurrent upload of the same object mapped it first.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
