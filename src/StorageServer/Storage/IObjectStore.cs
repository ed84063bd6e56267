using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>
/// Content-addressed blob storage. Every implementation guarantees that an object becomes
/// visible only whole, after its size and SHA-256 were checked and it reached durable storage.
/// Optional abilities are separate interfaces (<see cref="ILocalFileObjectStore"/>,
/// <see cref="ITemporaryFileCleanup"/>, <see cref="IPresignedTransferStore"/>) that callers test for.
/// </summary>
public interface IObjectStore
{
    /// <summary>Short name for logs, health checks and receipts, e.g. <c>filesystem</c>.</summary>
    string Name { get; }

    /// <summary>The object's size, or null when the store does not hold it.</summary>
    Task<ObjectInfo?> GetInfoAsync(Oid oid, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the object for reading from <paramref name="offset"/>; null when it is absent.
    /// The caller disposes the stream.
    /// </summary>
    Task<Stream?> OpenReadAsync(Oid oid, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> into the store, hashing as it goes. Reads at most
    /// <paramref name="expectedSize"/> + 1 bytes, so an oversized body is refused without being
    /// stored. When the object already exists the bytes are still read and hashed (proof of
    /// possession) and <see cref="PutStatus.AlreadyExists"/> is returned on a match.
    /// Nothing is left behind on mismatch, cancellation or a broken connection.
    /// </summary>
    Task<PutResult> PutAsync(Oid oid, long expectedSize, Stream content, CancellationToken cancellationToken);

    /// <summary>Removes the object's bytes. Returns false when there was nothing to remove.</summary>
    Task<bool> DeleteAsync(Oid oid, CancellationToken cancellationToken);

    /// <summary>Every object the store holds, in no particular order.</summary>
    IAsyncEnumerable<ObjectInfo> EnumerateAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be read and written.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

public sealed record ObjectInfo(Oid Oid, long Size);

public enum PutStatus
{
    Stored,
    AlreadyExists,
    SizeMismatch,
    HashMismatch,
}

/// <param name="BytesReceived">How many bytes were read before the store stopped.</param>
public sealed record PutResult(PutStatus Status, long BytesReceived)
{
    public bool Succeeded => Status is PutStatus.Stored or PutStatus.AlreadyExists;
}
