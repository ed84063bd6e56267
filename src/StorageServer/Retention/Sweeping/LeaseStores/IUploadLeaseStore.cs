using StorageServer.Data;

namespace StorageServer.Retention.Sweeping.LeaseStores;

/// <summary>
/// Where upload leases live. <see cref="UploadLeases"/> spells the rule once (an upload takes its
/// lease, then reads fences and erasure marks; a sweep commits its fence, then looks for leases; an
/// erasure restricts, then waits for leases); a store only has to make a taken lease visible to
/// every reader before <see cref="TakeAsync"/> returns, and a released one invisible after.
/// Rows on PostgreSQL, where several nodes share the database (<see cref="DatabaseUploadLeaseStore"/>);
/// an in-process registry on SQLite, where one server process owns the database
/// (<see cref="InProcessUploadLeaseStore"/>, <see cref="SqliteSingleProcessLock"/>).
/// </summary>
public interface IUploadLeaseStore
{
    /// <summary>
    /// Takes a lease on <paramref name="oid"/> until <paramref name="expiresAt"/>, visible to every
    /// reader when this returns (committed on <paramref name="db"/>'s open connection where leases are rows); its id.
    /// </summary>
    Task<long> TakeAsync(StorageDbContext db, string oid, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Releases lease <paramref name="id"/> as part of <paramref name="db"/>'s current transaction (the upload's record).</summary>
    Task ReleaseWithinAsync(StorageDbContext db, long id, CancellationToken cancellationToken);

    /// <summary>The transaction that ran <see cref="ReleaseWithinAsync"/> for <paramref name="id"/> committed.</summary>
    void ReleaseCommitted(long id);

    /// <summary>Releases lease <paramref name="id"/> on its own (a failed or refused upload).</summary>
    Task ReleaseAsync(long id);

    /// <summary>Whether an unexpired lease on <paramref name="oid"/> exists (read on <paramref name="db"/> where leases are rows).</summary>
    Task<bool> IsLeasedAsync(StorageDbContext db, string oid, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every oid with an unexpired lease.</summary>
    Task<IReadOnlySet<string>> FindLeasedAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets leases that expired (of crashed nodes, or leaked).</summary>
    Task DeleteExpiredAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken);
}
