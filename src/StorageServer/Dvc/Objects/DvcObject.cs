namespace StorageServer.Dvc.Objects;

/// <summary>
/// One repository's DVC object: the MD5 a DVC remote path names, mapped to the SHA-256 under
/// which the bytes are stored (once, shared with Git LFS). Created only by an upload of those
/// bytes to this repository, never derived from another repository's upload: MD5 collides, so
/// it is no proof of possession.
/// </summary>
public sealed class DvcObject
{
    public long RepositoryId { get; set; }

    /// <summary>True for the DVC 2 tree (<c>md5-dos2unix</c>, <c>&lt;url&gt;/xx/…</c>).</summary>
    public bool Legacy { get; set; }

    /// <summary>The DVC oid: 32 hex digits, plus <c>.dir</c> for a directory manifest.</summary>
    public required string Hash { get; set; }

    /// <summary>SHA-256 of the stored bytes (the <c>objects</c> row).</summary>
    public required string Oid { get; set; }

    public long Size { get; set; }

    public required string UploadedBy { get; set; }

    public DateTimeOffset UploadedAt { get; set; }
}
