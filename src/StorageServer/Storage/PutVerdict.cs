using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>The outcome of a put from what was received, shared by every store so they judge alike.</summary>
internal static class PutVerdict
{
    /// <param name="success">What a match means here: <see cref="PutStatus.Stored"/> or <see cref="PutStatus.AlreadyExists"/>.</param>
    public static PutResult Judge(Oid expected, long expectedSize, long received, Oid actual, PutStatus success) =>
        received != expectedSize ? new PutResult(PutStatus.SizeMismatch, received)
        : actual != expected ? new PutResult(PutStatus.HashMismatch, received)
        : new PutResult(success, received);
}
