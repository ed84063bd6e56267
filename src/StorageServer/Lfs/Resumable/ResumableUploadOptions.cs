using System.ComponentModel.DataAnnotations;

namespace StorageServer.Lfs.Resumable;

/// <summary>
/// Resumable uploads (the <c>tus</c> transfer adapter). Section <c>Lfs:ResumableUploads</c>.
/// Partial uploads sit on this node's disk until they complete or expire; each user may keep only
/// so many, of so many announced bytes, so a client with write access cannot fill the disk with
/// uploads it never finishes.
/// </summary>
public sealed class ResumableUploadOptions
{
    public const string Section = "Lfs:ResumableUploads";

    /// <summary>Offer <c>tus</c> to clients that ask for it; off: every upload is a basic PUT.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where partial uploads are kept (node-local); default <c>&lt;data-dir&gt;/uploads</c>.</summary>
    public string? Path { get; set; }

    /// <summary>Partial uploads one user may have at once (on this node).</summary>
    [Range(1, 10_000)]
    public int MaxSessionsPerUser { get; set; } = 32;

    /// <summary>Sum of the sizes of one user's partial uploads (announced sizes, reserved up front).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytesPerUser { get; set; } = 200L * 1024 * 1024 * 1024;

    /// <summary>A partial upload untouched for this long is deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired partial uploads are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}
