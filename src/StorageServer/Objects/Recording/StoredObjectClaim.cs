using StorageServer.Data.Entities;

namespace StorageServer.Objects.Recording;

/// <summary>An object row as the recorder found it (tracked), and whether the uploading repository already claims it.</summary>
public sealed record StoredObjectClaim(StoredObject Stored, bool Claimed);
