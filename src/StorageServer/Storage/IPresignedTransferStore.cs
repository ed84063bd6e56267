using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>
/// A store whose clients can transfer bytes directly, with time-limited signed URLs, instead of
/// through this server. Callers test <c>store is IPresignedTransferStore</c> and otherwise proxy.
/// </summary>
public interface IPresignedTransferStore : IObjectStore
{
    /// <summary>A GET of the object's bytes, valid for <paramref name="lifetime"/>. Does not check that the object exists.</summary>
    Task<PresignedRequest> CreateDownloadAsync(Oid oid, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// A PUT of the object's bytes, valid for <paramref name="lifetime"/>, bound to the object's
    /// SHA-256: the client must send <see cref="PresignedRequest.Headers"/> unchanged, and a
    /// server that checks <c>x-amz-checksum-sha256</c> (AWS S3) rejects any other bytes. Servers that
    /// do not check it store what they receive, so the caller must still verify before trusting it.
    /// </summary>
    Task<PresignedRequest> CreateUploadAsync(Oid oid, long size, TimeSpan lifetime, CancellationToken cancellationToken);
}

/// <param name="Headers">Headers the client must send as they are; they are part of the signature.</param>
public sealed record PresignedRequest(Uri Url, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);
