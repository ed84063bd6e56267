using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>An object as the store lists it; <see cref="LastModified"/> is when its bytes were put in place.</summary>
public sealed record ListedObject(Oid Oid, long Size, DateTimeOffset LastModified);
