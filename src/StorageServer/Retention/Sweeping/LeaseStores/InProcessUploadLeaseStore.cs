using StorageServer.Data;

namespace StorageServer.Retention.Sweeping.LeaseStores;

/// <summary>
/// Upload leases of a single-node SQLite server, in memory (issue 17: a lease row cost two write
/// transactions through SQLite's one writer per upload). Sound because every party to the lease
/// rule runs in this process: uploads, sweeps, the crash-leftover reconciler and erasures all run in
/// the server, the admin CLI and the git hooks reach it over HTTP, and
/// <see cref="SqliteSingleProcessLock"/> refuses a second server on the same database file. A lease
/// is visible the moment <see cref="TakeAsync"/> returns (the registry's lock orders it before the
/// upload's next database read), and a crash forgets the leases together with the unacknowledged
/// uploads they protected, as an expired row would.
/// </summary>
public sealed class InProcessUploadLeaseStore : IUploadLeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (string Oid, DateTimeOffset ExpiresAt)> _leases = [];
    /// <summary>The ids of each oid's leases, so a question about one oid reads only its own leases.</summary>
    private readonly Dictionary<string, List<long>> _perOid = new(StringComparer.Ordinal);
    private long _nextId;

    public Task<long> TakeAsync(StorageDbContext db, string oid, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var id = ++_nextId;
            _leases.Add(id, (oid, expiresAt));
            if (!_perOid.TryGetValue(oid, out var ids))
            {
                _perOid.Add(oid, ids = []);
            }
            ids.Add(id);
            return Task.FromResult(id);
        }
    }

    /// <summary>Nothing inside the transaction: the lease goes once it committed (<see cref="ReleaseCommitted"/>), so the claim is visible before the lease is gone.</summary>
    public Task ReleaseWithinAsync(StorageDbContext db, long id, CancellationToken cancellationToken) => Task.CompletedTask;

    public void ReleaseCommitted(long id) => Remove(id);

    public Task ReleaseAsync(long id)
    {
        Remove(id);
        return Task.CompletedTask;
    }

    public Task<bool> IsLeasedAsync(StorageDbContext db, string oid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_perOid.TryGetValue(oid, out var ids))
            {
                return Task.FromResult(false);
            }
            foreach (var id in ids)
            {
                if (_leases[id].ExpiresAt > now)
                {
                    return Task.FromResult(true);
                }
            }
            return Task.FromResult(false);
        }
    }

    public Task<IReadOnlySet<string>> FindLeasedAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlySet<string>>(_leases.Values.Where(l => l.ExpiresAt > now).Select(l => l.Oid).ToHashSet(StringComparer.Ordinal));
        }
    }

    public Task DeleteExpiredAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var id in _leases.Where(l => l.Value.ExpiresAt <= now).Select(l => l.Key).ToList())
            {
                RemoveHeld(id);
            }
        }
        return Task.CompletedTask;
    }

    private void Remove(long id)
    {
        lock (_lock)
        {
            RemoveHeld(id);
        }
    }

    private void RemoveHeld(long id)
    {
        if (!_leases.Remove(id, out var lease))
        {
            return;
        }
        var ids = _perOid[lease.Oid];
        ids.Remove(id);
        if (ids.Count == 0)
        {
            _perOid.Remove(lease.Oid);
        }
    }
}
