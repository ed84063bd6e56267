namespace StorageServer.Dvc.Indexing;

/// <summary>
/// A commit that introduced a DVC output (its <c>.dvc</c> file or <c>dvc.lock</c> changed):
/// which object it names at which workspace path. Kept whether or not the data was uploaded yet,
/// so an upload that arrives after the git push still gets its pointer-index rows.
/// </summary>
public sealed class DvcOutputRef
{
    public long RepositoryId { get; set; }

    public required string CommitSha { get; set; }

    /// <summary>The output's workspace path from the repository root (a file, or a tracked directory).</summary>
    public required string Path { get; set; }

    public bool Legacy { get; set; }

    /// <summary>The DVC oid: 32 hex digits, plus <c>.dir</c> for a directory.</summary>
    public required string Hash { get; set; }

    /// <summary>The <c>.dvc</c> file or <c>dvc.lock</c> naming it.</summary>
    public required string MetadataPath { get; set; }

    public DateTimeOffset IndexedAt { get; set; }
}
