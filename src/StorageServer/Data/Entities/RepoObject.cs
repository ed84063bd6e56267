namespace StorageServer.Data.Entities;

/// <summary>
/// A repository's claim on a blob. Downloads go only through a repo that claims the OID, and a
/// repo gets a claim only by uploading the bytes itself (proof of possession), so deduplication
/// never leaks data across repositories.
/// </summary>
public sealed class RepoObject
{
    public long RepositoryId { get; set; }

    public required string Oid { get; set; }

    public required string UploadedBy { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>The ref named in the upload batch, when the client sent one.</summary>
    public string? FirstRef { get; set; }
}
