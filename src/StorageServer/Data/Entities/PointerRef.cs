namespace StorageServer.Data.Entities;

/// <summary>
/// A commit that introduced an LFS pointer at a path (relative to its parents). Indexed on every
/// push and by full rescans; retention and erasure are computed from it.
/// </summary>
public sealed class PointerRef
{
    public long Id { get; set; }

    public long RepositoryId { get; set; }

    public required string CommitSha { get; set; }

    public required string Path { get; set; }

    public required string Oid { get; set; }

    public long Size { get; set; }

    public DateTimeOffset IndexedAt { get; set; }
}
