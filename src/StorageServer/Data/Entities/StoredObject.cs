namespace StorageServer.Data.Entities;

/// <summary>One blob in the content-addressed store, shared by every repo that claims it.</summary>
public sealed class StoredObject
{
    public required string Oid { get; set; }

    public long Size { get; set; }

    public ObjectState State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset StateChangedAt { get; set; }
}

/// <summary>Lifecycle of a blob; only <see cref="Live"/> objects are served.</summary>
public enum ObjectState
{
    Live = 0,
    Pending = 1,
    Trashed = 2,
    Deleted = 3,
    Restricted = 4,
    Purged = 5,
}
