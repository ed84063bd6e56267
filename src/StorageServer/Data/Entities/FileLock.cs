namespace StorageServer.Data.Entities;

/// <summary>A Git LFS file lock: one per path per repository, across all branches.</summary>
public sealed class FileLock
{
    /// <summary>Opaque string id (git-lfs decodes ids as strings).</summary>
    public required string Id { get; set; }

    public long RepositoryId { get; set; }

    public required string Path { get; set; }

    public required string Owner { get; set; }

    public string? RefName { get; set; }

    public DateTimeOffset LockedAt { get; set; }
}
