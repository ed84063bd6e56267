using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// A held upload lease. The upload releases it in the transaction that records the object and
/// its claim (<see cref="ReleaseWithinAsync"/>, then <see cref="MarkReleased"/> once that committed),
/// so a sweep or an erasure never sees the bytes with neither lease nor claim, and the release costs
/// no commit of its own. Disposing releases a lease still held (a failed or refused upload) in its own
/// short-lived context.
/// </summary>
public sealed class UploadLeaseHandle(IServiceScopeFactory scopes, SqliteWriteGate writes, long id) : IAsyncDisposable
{
    private bool _released;

    /// <summary>Deletes the lease row in <paramref name="db"/>'s current transaction.</summary>
    public Task ReleaseWithinAsync(StorageDbContext db, CancellationToken cancellationToken) =>
        db.Set<UploadLease>().Where(l => l.Id == id).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The transaction that ran <see cref="ReleaseWithinAsync"/> committed: nothing left to release.</summary>
    public void MarkReleased() => _released = true;

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        await using var write = await writes.EnterAsync(db, CancellationToken.None);
        await db.Set<UploadLease>().Where(l => l.Id == id).ExecuteDeleteAsync(CancellationToken.None);
    }
}
