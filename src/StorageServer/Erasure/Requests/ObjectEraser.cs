using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Erasure.Data;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Requests;

/// <summary>Erases one object of a request: bytes deleted (no trash), row purged, keyed tombstone, item done.</summary>
public sealed class ObjectEraser(StorageDbContext db, IObjectStore store, AuditLog audit, SubjectHasher hasher, TimeProvider clock)
{
    /// <summary>
    /// The object row, tombstone, item and audit entry are saved by one SaveChanges (AuditLog shares
    /// this context), so they commit together; a crash before it just deletes again (a no-op).
    /// </summary>
    public async Task EraseAsync(ErasureRequest request, ErasureItem item, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.DeleteAsync(Oid.Parse(item.Oid), cancellationToken);
        var stored = await db.Objects.SingleOrDefaultAsync(o => o.Oid == item.Oid, cancellationToken);
        if (stored is not null)
        {
            stored.State = ObjectState.Purged;
            stored.StateChangedAt = now;
        }
        var oidHash = hasher.Oid(item.Oid);
        if (!await db.Set<ErasureTombstone>().AnyAsync(t => t.OidHash == oidHash, cancellationToken))
        {
            db.Set<ErasureTombstone>().Add(new ErasureTombstone { OidHash = oidHash, RequestId = request.Id, ErasedAt = now });
        }
        item.ErasedAt = now;
        request.ItemsDone++;
        await audit.AppendAsync(ErasureActors.System, "erasure.erase", request.Id, new { @object = oidHash, action = item.Action.ToString().ToLowerInvariant() }, cancellationToken);
    }
}
