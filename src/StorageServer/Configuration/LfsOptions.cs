using System.ComponentModel.DataAnnotations;

namespace StorageServer.Configuration;

/// <summary>Limits of the Git LFS API. Section <c>Lfs</c>.</summary>
public sealed class LfsOptions
{
    public const string Section = "Lfs";

    /// <summary>Largest object accepted; larger uploads are refused before any byte is stored.</summary>
    [Range(1, long.MaxValue)]
    public long MaxObjectSize { get; set; } = 100L * 1024 * 1024 * 1024;

    /// <summary>Most objects in one batch request; git-lfs 3.3 sends at most 100.</summary>
    [Range(100, 100_000)]
    public int MaxBatchObjects { get; set; } = 1000;

    /// <summary>Largest batch or lock JSON body.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxJsonBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Lifetime of the signed token in transfer actions. git-lfs checks expiry only before a
    /// transfer starts and we check it only when a request starts, so this bounds how long a
    /// client may wait between batch and transfer, not how long a transfer may take.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "7.00:00:00")]
    public TimeSpan TransferTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
