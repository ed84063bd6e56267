using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Sweeping;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Requests;

/// <summary>
/// Restriction (GDPR Art. 18) is also the erasure's fence against uploads, as <see cref="SweepFence"/>
/// is the sweep's: every object of the request gets a <see cref="ObjectState.Restricted"/> row
/// (whatever state it had, a row inserted where there was none) before any byte is deleted, and an
/// upload takes its lease before it looks at that state (<see cref="UploadLeases"/>). So an upload
/// that started before the restriction still holds its lease when the erasure looks for leases, and
/// one that starts after sees the restriction and is refused; recording an upload never turns a
/// restricted or purged row live again.
/// </summary>
public sealed class ObjectRestriction(StorageDbContext db, IObjectStore store, UploadLeases leases, TimeProvider clock)
{
    private const int OidsPerQuery = 500;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Restricts every one of <paramref name="oids"/> not erased yet; returns how many rows changed or were added.</summary>
    public async Task<int> RestrictAsync(IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var chunk in oids.Chunk(OidsPerQuery))
        {
            changed += await db.Objects.Where(o => chunk.Contains(o.Oid) && o.State != ObjectState.Restricted && o.State != ObjectState.Purged)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Restricted).SetProperty(o => o.StateChangedAt, now), cancellationToken);
            var known = await db.Objects.AsNoTracking().Where(o => chunk.Contains(o.Oid)).Select(o => o.Oid).ToListAsync(cancellationToken);
            foreach (var oid in chunk.Except(known, StringComparer.Ordinal))
            {
                // Bytes the store holds without a row (or a tagged oid never uploaded): a row fences it too.
                var size = (await store.GetInfoAsync(Oid.Parse(oid), cancellationToken))?.Size ?? 0;
                db.Objects.Add(new StoredObject { Oid = oid, Size = size, State = ObjectState.Restricted, CreatedAt = now, StateChangedAt = now });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    changed++;
                }
                catch (DbUpdateException e) when (db.IsUniqueViolation(e))
                {
                    // An upload inserted it meanwhile: restrict that row instead.
                    db.ChangeTracker.Clear();
                    changed += await db.Objects.Where(o => o.Oid == oid && o.State != ObjectState.Purged)
                        .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Restricted).SetProperty(o => o.StateChangedAt, now), cancellationToken);
                }
            }
        }
        return changed;
    }

    /// <summary>
    /// Waits until no upload holds a lease on <paramref name="oid"/> (an upload that began before
    /// the restriction is landing its bytes). Leases of crashed nodes expire, so the wait ends.
    /// </summary>
    public async Task WaitForUploadsAsync(string oid, CancellationToken cancellationToken)
    {
        while (await leases.IsLeasedAsync(db, oid, clock.GetUtcNow(), cancellationToken))
        {
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Whether an upload holds a lease on <paramref name="oid"/> right now.</summary>
    public Task<bool> IsUploadingAsync(string oid, CancellationToken cancellationToken) =>
        leases.IsLeasedAsync(db, oid, clock.GetUtcNow(), cancellationToken);
}
