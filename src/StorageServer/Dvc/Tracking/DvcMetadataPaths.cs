namespace StorageServer.Dvc.Tracking;

/// <summary>Which files of a git tree DVC writes its outputs into, and how their paths combine.</summary>
public static class DvcMetadataPaths
{
    public const string LockFileName = "dvc.lock";

    /// <summary>A <c>*.dvc</c> file or a <c>dvc.lock</c>, outside DVC's own <c>.dvc/</c> folder.</summary>
    public static bool IsMetadata(string path)
    {
        var name = Name(path);
        return !InDvcFolder(path) && (name == LockFileName || (name.EndsWith(".dvc", StringComparison.Ordinal) && name.Length > ".dvc".Length));
    }

    public static bool IsLock(string path) => Name(path) == LockFileName;

    /// <summary>A <c>dvc.yaml</c>: read only for the <c>dvc.lock</c> next to it.</summary>
    public static bool IsPipeline(string path) => !InDvcFolder(path) && Name(path) == DvcPipeline.FileName;

    /// <summary>The <c>dvc.yaml</c> that goes with a lock file.</summary>
    public static string PipelineOf(string lockPath) => lockPath[..^LockFileName.Length] + DvcPipeline.FileName;

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static bool InDvcFolder(string path) => path.StartsWith(".dvc/", StringComparison.Ordinal) || path.Contains("/.dvc/", StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="relative"/> (as written in the metadata file) from the metadata file's folder,
    /// normalised; null for outputs outside the repository (absolute paths, URLs, <c>..</c> past the root).
    /// </summary>
    public static string? Resolve(string metadataPath, string relative)
    {
        if (relative.Length == 0 || relative.StartsWith('/') || relative.Contains("://", StringComparison.Ordinal) || relative.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }
        var segments = new List<string>(metadataPath.Split('/')[..^1]);
        foreach (var segment in relative.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        return null;
                    }
                    segments.RemoveAt(segments.Count - 1);
                    continue;
                default:
                    segments.Add(segment);
                    continue;
            }
        }
        return segments.Count == 0 ? null : string.Join('/', segments);
    }
}
