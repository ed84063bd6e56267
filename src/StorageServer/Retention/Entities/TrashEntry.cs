namespace StorageServer.Retention.Entities;

public enum TrashState
{
    /// <summary>The repository's claim is removed (downloads answer 404) and can be restored.</summary>
    Trashed = 0,

    /// <summary>An admin put the claim back.</summary>
    Restored = 1,

    /// <summary>A push, an upload or a hold needed the object again; the claim is back.</summary>
    Revived = 2,

    /// <summary>The bytes were deleted (the last claim went); the claim stays as a tombstone (410).</summary>
    Swept = 3,

    /// <summary>The claim went for good, but other repositories still claim the bytes.</summary>
    ClaimReleased = 4,
}

/// <summary>
/// A repository's claim on an object that a retention run moved to the trash. The claim row
/// itself leaves <c>repo_objects</c> (so the repository no longer serves the object) and its
/// fields are kept here to put it back.
/// </summary>
public sealed class TrashEntry
{
    public long Id { get; set; }

    public long RunId { get; set; }

    public long RepositoryId { get; set; }

    public required string Oid { get; set; }

    public long Size { get; set; }

    public string? Path { get; set; }

    public required string UploadedBy { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    public string? FirstRef { get; set; }

    public DateTimeOffset TrashedAt { get; set; }

    public DateTimeOffset RestoreUntil { get; set; }

    public TrashState State { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    /// <summary>The sweep that resolved it (swept, released or counted as revived).</summary>
    public long? SweepRunId { get; set; }
}
