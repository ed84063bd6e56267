using StorageServer.Retention.Sweeping;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Objects.Recording;

/// <summary>What an upload whose bytes are durable asks the database to record: the object, the repository's claim, and the release of its lease.</summary>
public sealed record UploadRecord(long RepositoryId, Oid Oid, long Size, string User, string? FirstRef, UploadLeaseHandle Lease);
