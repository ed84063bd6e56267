using System.ComponentModel.DataAnnotations;

namespace StorageServer.Dvc;

/// <summary>Limits of the DVC remote and of reading DVC files from pushes. Section <c>Dvc</c>.</summary>
public sealed class DvcOptions
{
    public const string Section = "Dvc";

    /// <summary>Largest object a DVC upload may send; the body is cut off one byte past it (413).</summary>
    [Range(1, 1L << 50)]
    public long MaxObjectSize { get; set; } = 100L * 1024 * 1024 * 1024;

    /// <summary>Largest directory manifest (<c>.dir</c>) accepted: about 85 bytes per file, so 256 MiB is some three million files.</summary>
    [Range(2, 1L << 40)]
    public long MaxManifestSize { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest <c>.dvc</c> or <c>dvc.lock</c> file the push check and the index read; larger ones are not DVC metadata to us.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMetadataFileSize { get; set; } = 1024 * 1024;
}
