using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Objects.Recording;

/// <summary>
/// Records an upload whose bytes are durable: the object row added or revived as live, the
/// repository's claim, and the lease released, in one transaction, so a sweep or an erasure never
/// sees the bytes with neither lease nor claim. An object an erasure got to first (restricted or
/// purged) is never revived and gains no claim.
/// </summary>
public sealed class ObjectRecorder(TimeProvider clock)
{
    /// <summary>Records <paramref name="record"/> in a transaction of its own on <paramref name="db"/>, and marks its lease released once that committed.</summary>
    public async Task<RecordOutcome> RecordAloneAsync(StorageDbContext db, UploadRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var outcome = await RecordWithinAsync(db, record, cancellationToken);
                if (outcome != RecordOutcome.Recorded)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    return outcome;
                }
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                record.Lease.MarkReleased();
                return outcome;
            }
            catch (DbUpdateException e) when (db.IsUniqueViolation(e) && attempt < 3)
            {
                // A concurrent upload of the same object (or claim) inserted its row first; PostgreSQL
                // aborted this transaction, so run it again: now it finds that row.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="record"/> in <paramref name="db"/>'s current transaction. Anything but
    /// <see cref="RecordOutcome.Recorded"/> means the caller must roll back what this wrote.
    /// </summary>
    public async Task<RecordOutcome> RecordWithinAsync(StorageDbContext db, UploadRecord record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var oid = record.Oid.Value;
        var stored = await db.Objects.SingleOrDefaultAsync(o => o.Oid == oid, cancellationToken);
        if (stored is null)
        {
            db.Objects.Add(new StoredObject { Oid = oid, Size = record.Size, State = ObjectState.Live, CreatedAt = now, StateChangedAt = now });
        }
        else if (stored.State is ObjectState.Restricted or ObjectState.Purged)
        {
            return Outcome(stored.State);
        }
        else if (stored.State != ObjectState.Live)
        {
            stored.State = ObjectState.Live;
            stored.Size = record.Size;
            stored.StateChangedAt = now;
        }
        if (!await db.RepoObjects.AnyAsync(c => c.RepositoryId == record.RepositoryId && c.Oid == oid, cancellationToken))
        {
            db.RepoObjects.Add(new RepoObject { RepositoryId = record.RepositoryId, Oid = oid, UploadedBy = record.User, UploadedAt = now, FirstRef = record.FirstRef });
        }
        await db.SaveChangesAsync(cancellationToken);
        // Read back (PostgreSQL, read committed: an erasure may have restricted a row this transaction did not write).
        var state = await db.Objects.AsNoTracking().Where(o => o.Oid == oid).Select(o => o.State).SingleAsync(cancellationToken);
        if (state is ObjectState.Restricted or ObjectState.Purged)
        {
            return Outcome(state);
        }
        await record.Lease.ReleaseWithinAsync(db, cancellationToken);
        return RecordOutcome.Recorded;
    }

    private static RecordOutcome Outcome(ObjectState state) => state == ObjectState.Purged ? RecordOutcome.Purged : RecordOutcome.Restricted;
}
