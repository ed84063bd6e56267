using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <param name="Received">Bytes read from the body (at most expected size + 1).</param>
/// <param name="Hash">SHA-256 of those bytes.</param>
/// <param name="Committed">True when the destination now holds the whole, verified body.</param>
internal readonly record struct BlockUploadOutcome(long Received, Oid Hash, bool Committed);
