namespace StorageServer.Retention.Entities;

/// <summary>
/// One format of a mark's report, gzip-compressed, in the database: every node serves every
/// run's report, and backups of the database carry them.
/// </summary>
public sealed class RetentionReport
{
    public long RunId { get; set; }

    /// <summary><c>json</c> or <c>csv</c>.</summary>
    public required string Format { get; set; }

    public required byte[] GzipContent { get; set; }

    /// <summary>Uncompressed length in bytes.</summary>
    public long Length { get; set; }
}
