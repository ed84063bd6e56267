using System.ComponentModel.DataAnnotations;

namespace StorageServer.DiskSpace;

/// <summary>How much free disk the server keeps in hand. Section <c>DiskSpace</c>.</summary>
public sealed class DiskSpaceOptions
{
    public const string Section = "DiskSpace";

    /// <summary>
    /// Free bytes below which, on the disks of the data directory, the object store (filesystem)
    /// and the repositories, readiness reports the node unready and an upload that would go below
    /// it is refused with 507 before a byte of it is read. Reads go on. 0 turns both off.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Retry-After of a 507: how soon a client may try an upload again.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 60;
}
