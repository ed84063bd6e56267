using StorageServer.Data;
using StorageServer.Retention.Sweeping.LeaseStores;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// A held upload lease. The upload releases it in the transaction that records the object and
/// its claim (<see cref="ReleaseWithinAsync"/>, then <see cref="MarkReleased"/> once that committed),
/// so a sweep or an erasure never sees the bytes with neither lease nor claim, and the release costs
/// no commit of its own. Disposing releases a lease still held (a failed or refused upload).
/// </summary>
public sealed class UploadLeaseHandle(IUploadLeaseStore store, long id) : IAsyncDisposable
{
    private bool _released;

    /// <summary>Releases the lease as part of <paramref name="db"/>'s current transaction.</summary>
    public Task ReleaseWithinAsync(StorageDbContext db, CancellationToken cancellationToken) => store.ReleaseWithinAsync(db, id, cancellationToken);

    /// <summary>The transaction that ran <see cref="ReleaseWithinAsync"/> committed: nothing left to release.</summary>
    public void MarkReleased()
    {
        _released = true;
        store.ReleaseCommitted(id);
    }

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        await store.ReleaseAsync(id);
    }
}
