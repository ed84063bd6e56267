using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Retention.Sweeping.LeaseStores;

namespace StorageServer.Objects.Recording;

/// <summary>
/// Group commit of upload records (issue 17). SQLite has one write lock and fsyncs its WAL on every
/// durable commit, so eight concurrent uploads each committing their own record queue on the lock
/// and pay one fsync each. Here one writer at a time commits the records of every upload that
/// arrived while the previous commit was in flight, in one transaction with one savepoint per
/// upload: one upload's failure (a constraint, an erased object) is rolled back to its savepoint and
/// leaves the others in the group. Each caller's task completes only after the shared commit, so an
/// upload is still acknowledged only once its record is durable. On SQLite (leases in process) the
/// groups run through statements prepared once (<see cref="PreparedRecordGroups"/>); elsewhere
/// through EF and <see cref="ObjectRecorder"/>.
/// </summary>
public sealed class UploadRecordGroups(
    IServiceScopeFactory scopes, ObjectRecorder recorder, SqliteWriteGate writes, IUploadLeaseStore leases, TimeProvider clock, ILogger<UploadRecordGroups> logger)
    : IDisposable
{
    /// <summary>Bounds one transaction's length (and so the wait of the uploads queued behind it).</summary>
    internal const int MaxGroupSize = 64;

    private readonly Lock _gate = new();
    private readonly Queue<PendingRecord> _queue = new();
    private bool _draining;

    /// <summary>Set by the first group (groups run one at a time): the prepared statements on SQLite, null elsewhere.</summary>
    private Lazy<PreparedRecordGroups?>? _prepared;

    /// <summary>
    /// Records <paramref name="record"/> in the next group commit. Not cancellable: the bytes are
    /// durable, so their record is written even if the client has hung up.
    /// </summary>
    public Task<RecordOutcome> RecordAsync(UploadRecord record)
    {
        var pending = new PendingRecord(record);
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            start = !_draining;
            _draining = true;
        }
        if (start)
        {
            _ = Task.Run(DrainAsync);
        }
        return pending.Outcome.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var group = new List<PendingRecord>();
            lock (_gate)
            {
                while (group.Count < MaxGroupSize && _queue.TryDequeue(out var next))
                {
                    group.Add(next);
                }
                if (group.Count == 0)
                {
                    _draining = false;
                    return;
                }
            }
            await CommitGroupAsync(group);
        }
    }

    /// <summary>Commits <paramref name="group"/> in one transaction and completes every one of its tasks; never throws.</summary>
    internal async Task CommitGroupAsync(IReadOnlyList<PendingRecord> group)
    {
        try
        {
            var results = await RecordGroupAsync(group);
            for (var i = 0; i < group.Count; i++)
            {
                if (results[i] is { } failure)
                {
                    group[i].Outcome.TrySetException(failure);
                    continue;
                }
                if (group[i].Result == RecordOutcome.Recorded)
                {
                    group[i].Record.Lease.MarkReleased();
                }
                group[i].Outcome.TrySetResult(group[i].Result);
            }
        }
        catch (Exception e)
        {
            // The shared transaction itself failed (its begin, a rollback to a savepoint, the commit):
            // nothing of it is known to be durable, so every upload records alone, as without groups.
            logger.LogWarning(e, "Group commit of {Count} upload records failed; recording each alone", group.Count);
            foreach (var pending in group)
            {
                await RecordAloneAsync(pending);
            }
        }
    }

    public void Dispose()
    {
        if (_prepared is { IsValueCreated: true, Value: { } prepared })
        {
            prepared.Dispose();
        }
    }

    /// <summary>Runs the group's records in one transaction; per record, the exception that rolled it back (or null).</summary>
    private async Task<Exception?[]> RecordGroupAsync(IReadOnlyList<PendingRecord> group)
    {
        _prepared ??= new Lazy<PreparedRecordGroups?>(CreatePrepared);
        if (_prepared.Value is { } prepared)
        {
            await using var _ = await writes.EnterSqliteAsync(CancellationToken.None);
            return prepared.Commit(group);
        }
        await using var scope = scopes.CreateAsyncScope();
        return await RecordGroupAsync(scope.ServiceProvider.GetRequiredService<StorageDbContext>(), group);
    }

    /// <summary>Prepared statements where the groups write SQLite and leases need no rows; null elsewhere.</summary>
    private PreparedRecordGroups? CreatePrepared()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        return db.Database.IsSqlite() && leases is InProcessUploadLeaseStore
            ? new PreparedRecordGroups(db.Database.GetConnectionString()!, db.Model, clock)
            : null;
    }

    /// <summary>The group through EF and <see cref="ObjectRecorder"/>, savepoint by savepoint.</summary>
    private async Task<Exception?[]> RecordGroupAsync(StorageDbContext db, IReadOnlyList<PendingRecord> group)
    {
        var failures = new Exception?[group.Count];
        await using var write = await writes.EnterAsync(db, CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        for (var i = 0; i < group.Count; i++)
        {
            var savepoint = $"upload_{i}";
            for (var attempt = 1; ; attempt++)
            {
                await transaction.CreateSavepointAsync(savepoint, CancellationToken.None);
                try
                {
                    group[i].Result = await recorder.RecordWithinAsync(db, group[i].Record, CancellationToken.None);
                    if (group[i].Result != RecordOutcome.Recorded)
                    {
                        await transaction.RollbackToSavepointAsync(savepoint, CancellationToken.None);
                    }
                    db.ChangeTracker.Clear();
                    break;
                }
                catch (DbUpdateException e)
                {
                    await transaction.RollbackToSavepointAsync(savepoint, CancellationToken.None);
                    db.ChangeTracker.Clear();
                    // A unique violation is a concurrent insert of the same row: run again, now it finds it.
                    if (!db.IsUniqueViolation(e) || attempt >= 3)
                    {
                        failures[i] = e;
                        break;
                    }
                }
            }
        }
        await transaction.CommitAsync(CancellationToken.None);
        return failures;
    }

    private async Task RecordAloneAsync(PendingRecord pending)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            pending.Outcome.TrySetResult(await recorder.RecordAloneAsync(db, pending.Record, CancellationToken.None));
        }
        catch (Exception e)
        {
            pending.Outcome.TrySetException(e);
        }
    }

    /// <summary>One upload waiting for its group's commit.</summary>
    internal sealed class PendingRecord(UploadRecord record)
    {
        public UploadRecord Record { get; } = record;

        /// <summary>Set within the group's transaction; final only once that committed.</summary>
        public RecordOutcome Result { get; set; }

        public TaskCompletionSource<RecordOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
