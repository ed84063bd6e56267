using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>
/// A store whose clients can transfer bytes directly, with time-limited signed URLs, instead of
/// through this server. Callers test <c>store is IPresignedTransferStore { DirectTransfersEnabled: true }</c>
/// and otherwise proxy.
/// </summary>
public interface IPresignedTransferStore : IObjectStore
{
    /// <summary>Whether the operator turned direct transfers on (they are off by default).</summary>
    bool DirectTransfersEnabled { get; }

    /// <summary>The largest object a client may upload directly (one PUT); larger ones go through the server.</summary>
    long MaxDirectUploadSize { get; }

    /// <summary>A GET of the object's bytes, valid for <paramref name="lifetime"/>. Does not check that the object exists.</summary>
    Task<PresignedRequest> CreateDownloadAsync(Oid oid, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// A PUT of the object's bytes to a staging key of its own (<see cref="PresignedRequest.UploadId"/>),
    /// never to the object's key, valid for <paramref name="lifetime"/> and bound to the object's
    /// SHA-256: the client must send <see cref="PresignedRequest.Headers"/> unchanged, and a server
    /// that checks <c>x-amz-checksum-sha256</c> (AWS S3) rejects any other bytes. Servers that do
    /// not check it store what they receive, which is why <see cref="CompleteUploadAsync"/> checks again.
    /// </summary>
    Task<PresignedRequest> CreateUploadAsync(Oid oid, long size, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a direct upload the object, only if its size and SHA-256 match: checked from the
    /// store's own verified checksum when it has one, otherwise by reading the staged bytes. The
    /// staging key is removed whatever the outcome. Null when nothing was staged under that id.
    /// </summary>
    Task<PutResult?> CompleteUploadAsync(Oid oid, long expectedSize, string uploadId, CancellationToken cancellationToken);
}

/// <param name="Headers">Headers the client must send as they are; they are part of the signature.</param>
/// <param name="UploadId">For uploads: names the staging key, to pass to <see cref="IPresignedTransferStore.CompleteUploadAsync"/>.</param>
public sealed record PresignedRequest(Uri Url, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt, string? UploadId = null);
