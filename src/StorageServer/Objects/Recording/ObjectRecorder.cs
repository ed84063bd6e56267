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
        // The object row (tracked: it may be revived) and whether this repository claims it, in one
        // round trip; no row means no claim either (a claim's foreign key needs the row).
        var found = await FindObjectAndClaim.For(db)(db, oid, record.RepositoryId, cancellationToken);
        if (found?.Stored.State is ObjectState.Restricted or ObjectState.Purged)
        {
            return Outcome(found.Stored.State);
        }
        var stored = found is null ? new StoredObject { Oid = oid, Size = record.Size, State = ObjectState.Live, CreatedAt = now, StateChangedAt = now } : null;
        var claim = found is { Claimed: true } ? null
            : new RepoObject { RepositoryId = record.RepositoryId, Oid = oid, UploadedBy = record.User, UploadedAt = now, FirstRef = record.FirstRef };
        if (db.Database.IsSqlite() && found is null or { Stored.State: ObjectState.Live })
        {
            // The common case (new rows only) on SQLite, where every upload's record runs it.
            await UploadRecordInserts.InsertAsync(db, stored, claim, cancellationToken);
            await record.Lease.ReleaseWithinAsync(db, cancellationToken);
            return RecordOutcome.Recorded;
        }
        if (stored is not null)
        {
            db.Objects.Add(stored);
        }
        else if (found!.Stored.State != ObjectState.Live)
        {
            found.Stored.State = ObjectState.Live;
            found.Stored.Size = record.Size;
            found.Stored.StateChangedAt = now;
        }
        if (claim is not null)
        {
            db.RepoObjects.Add(claim);
        }
        await db.SaveChangesAsync(cancellationToken);
        // Read back on PostgreSQL (read committed: an erasure may have restricted a row this
        // transaction did not write since the read above). SQLite needs none: its transactions
        // begin IMMEDIATE, holding the one write lock, so no erasure commits in between.
        if (!db.Database.IsSqlite())
        {
            var state = await db.Objects.AsNoTracking().Where(o => o.Oid == oid).Select(o => o.State).SingleAsync(cancellationToken);
            if (state is ObjectState.Restricted or ObjectState.Purged)
            {
                return Outcome(state);
            }
        }
        await record.Lease.ReleaseWithinAsync(db, cancellationToken);
        return RecordOutcome.Recorded;
    }

    /// <summary>Compiled once (issue 17: this runs for every upload; EF's per-call query setup cost more than the query).</summary>
    private static readonly PerModelCompiledQuery<Func<StorageDbContext, string, long, CancellationToken, Task<StoredObjectClaim?>>> FindObjectAndClaim = new(() =>
        EF.CompileAsyncQuery((StorageDbContext db, string oid, long repositoryId, CancellationToken cancellationToken) =>
            db.Objects
                .Where(o => o.Oid == oid)
                .Select(o => new StoredObjectClaim(o, db.RepoObjects.Any(c => c.RepositoryId == repositoryId && c.Oid == oid)))
                .SingleOrDefault()));

    private static RecordOutcome Outcome(ObjectState state) => state == ObjectState.Purged ? RecordOutcome.Purged : RecordOutcome.Restricted;
}
