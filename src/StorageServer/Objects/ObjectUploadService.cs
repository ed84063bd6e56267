using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Objects.Recording;
using StorageServer.Observability;
using StorageServer.Retention.Sweeping;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Objects;

public enum UploadOutcome
{
    Stored,
    AlreadyStored,
    SizeMismatch,
    HashMismatch,
    Erased,

    /// <summary>A retention sweep is deleting this object right now; the client retries.</summary>
    Busy,
}

public sealed record UploadResult(UploadOutcome Outcome, long BytesReceived)
{
    public bool Succeeded => Outcome is UploadOutcome.Stored or UploadOutcome.AlreadyStored;
}

/// <summary>
/// Streams an upload into the object store and, once the store has committed it (hashed, sized,
/// flushed, renamed), records the object as live and gives the repository its claim. Nothing is
/// written to the database for a failed or aborted upload.
/// </summary>
public sealed class ObjectUploadService(
    IObjectStore store, StorageDbContext db, UploadLeases leases, ObjectRecorder recorder, UploadRecordGroups groups)
{
    public async Task<UploadResult> UploadAsync(long repositoryId, Oid oid, long size, Stream content, string user, string? firstRef, CancellationToken cancellationToken) =>
        (await StoreAsync(repositoryId, oid, size, user, firstRef, async ct => await store.PutAsync(oid, size, content, ct), cancellationToken))!;

    /// <summary>
    /// The verify of a direct (pre-signed) upload: the store checks the staged bytes' size and
    /// SHA-256 and only then publishes them; the object and claim are recorded after that, as for a
    /// PUT through the server. Null when nothing was staged under <paramref name="uploadId"/>.
    /// </summary>
    public Task<UploadResult?> CompleteDirectUploadAsync(
        IPresignedTransferStore direct, long repositoryId, Oid oid, long size, string uploadId, string user, CancellationToken cancellationToken) =>
        StoreAsync(repositoryId, oid, size, user, null, ct => direct.CompleteUploadAsync(oid, size, uploadId, ct), cancellationToken);

    /// <summary>
    /// An upload whose bytes the caller has already received and hashed (a DVC upload, which names
    /// only an MD5): <paramref name="publish"/> puts them into the store under the SHA-256 the caller
    /// computed. The same refusal of erased objects, lease and record as a PUT.
    /// </summary>
    public async Task<UploadResult> PublishAsync(
        long repositoryId, Oid oid, long size, string user, Func<CancellationToken, Task<PutResult>> publish, CancellationToken cancellationToken) =>
        (await StoreAsync(repositoryId, oid, size, user, null, async ct => await publish(ct), cancellationToken))!;

    /// <summary>All kinds of upload: refuse erased objects, hold the lease while the bytes land, then record them. Null when <paramref name="put"/> found nothing.</summary>
    private async Task<UploadResult?> StoreAsync(
        long repositoryId, Oid oid, long size, string user, string? firstRef, Func<CancellationToken, Task<PutResult?>> put, CancellationToken cancellationToken)
    {
        // Its database commands and the store's work are its children; no oid or repository on it.
        using var activity = StorageTelemetry.Source.StartActivity("lfs upload");
        activity?.SetTag("storageserver.object_store", store.Name);
        activity?.SetTag("storageserver.object_size", size);
        // The lease keeps retention sweeps and erasures off this object until the upload is recorded
        // (or failed). An erasure restricts its objects and then waits for their leases; an upload
        // takes its lease and then checks for erasure: whichever comes second sees the other.
        // The erasure check is read right after the lease is taken (committed, where it is a row).
        var acquisition = await leases.AcquireForUploadAsync(db, oid.Value, cancellationToken);
        await using var lease = acquisition.Lease;
        if (lease is null)
        {
            return new UploadResult(UploadOutcome.Busy, 0);
        }
        if (acquisition.Erased)
        {
            return new UploadResult(UploadOutcome.Erased, 0);
        }
        var result = await put(cancellationToken);
        activity?.SetTag("storageserver.put_status", result?.Status.ToString() ?? "not_staged");
        switch (result?.Status)
        {
            case null:
                return null;
            case PutStatus.SizeMismatch:
                return new UploadResult(UploadOutcome.SizeMismatch, result.BytesReceived);
            case PutStatus.HashMismatch:
                return new UploadResult(UploadOutcome.HashMismatch, result.BytesReceived);
        }
        // The bytes are durable now; record them even if the client hangs up meanwhile.
        if (!await RecordAsync(repositoryId, oid, size, user, firstRef, lease, CancellationToken.None))
        {
            return new UploadResult(UploadOutcome.Erased, result.BytesReceived);
        }
        return new UploadResult(result.Status == PutStatus.Stored ? UploadOutcome.Stored : UploadOutcome.AlreadyStored, result.BytesReceived);
    }

    /// <summary>
    /// Records the object as live, gives the repository its claim and releases the lease, in one
    /// transaction (see <see cref="ObjectRecorder"/>). False when an erasure got to the object while
    /// its bytes were landing: nothing is revived, no claim given.
    /// </summary>
    private async Task<bool> RecordAsync(long repositoryId, Oid oid, long size, string user, string? firstRef, UploadLeaseHandle lease, CancellationToken cancellationToken)
    {
        var record = new UploadRecord(repositoryId, oid, size, user, firstRef, lease);
        // SQLite: one write lock and one WAL fsync per commit, so concurrent uploads share commits.
        // PostgreSQL commits concurrent transactions in parallel (and has commit_delay for grouping
        // its own flushes), so each upload keeps its transaction there.
        var outcome = db.Database.IsSqlite()
            ? await groups.RecordAsync(record)
            : await recorder.RecordAloneAsync(db, record, cancellationToken);
        switch (outcome)
        {
            case RecordOutcome.Recorded:
                return true;
            case RecordOutcome.Purged:
                // The lease fence makes this unreachable; if it ever is, the bytes must not stay.
                await store.DeleteAsync(oid, cancellationToken);
                return false;
            default:
                // Restricted: the erasure waits for this upload's lease, then deletes the bytes.
                return false;
        }
    }
}
