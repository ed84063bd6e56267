using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Git;
using StorageServer.Storage;

namespace StorageServer.DiskSpace;

/// <summary>
/// The free space of the disks the server writes to: the data directory (database, temporary
/// files), the object store when it is the filesystem, and the bare repositories. Used by
/// readiness and by upload admission, against <see cref="DiskSpaceOptions.MinFreeBytes"/>.
/// </summary>
public sealed class DiskSpaceGuard(IOptions<DiskSpaceOptions> options, IOptions<StorageServerOptions> server, IObjectStore store, GitRepositoryLayout repositories)
{
    public long MinFreeBytes => options.Value.MinFreeBytes;

    public int RetryAfterSeconds => options.Value.RetryAfterSeconds;

    /// <summary>True when an object of <paramref name="size"/> bytes fits on the object store's disk above the floor.</summary>
    public bool HasRoomForObject(long size) =>
        store is not ILocalFileObjectStore local || FreeBytes(local.Root) is not { } free || free - size >= MinFreeBytes;

    /// <summary>True when the disk holding <paramref name="path"/> is at or above the floor.</summary>
    public bool HasRoomIn(string path) => MinFreeBytes == 0 || FreeBytes(path) is not { } free || free >= MinFreeBytes;

    /// <summary>Each watched place whose disk has less free space than the floor, described for the readiness report.</summary>
    public IReadOnlyList<string> BelowFloor()
    {
        if (MinFreeBytes == 0)
        {
            return [];
        }
        var problems = new List<string>();
        foreach (var (what, path) in Watched())
        {
            if (FreeBytes(path) is { } free && free < MinFreeBytes)
            {
                problems.Add($"{what} ({path}) has {Megabytes(free)} MB free, below the floor of {Megabytes(MinFreeBytes)} MB (DiskSpace:MinFreeBytes)");
            }
        }
        return problems;
    }

    private IEnumerable<(string What, string Path)> Watched()
    {
        yield return ("data directory", server.Value.FullDataDir);
        if (store is ILocalFileObjectStore local)
        {
            yield return ("object store", local.Root);
        }
        yield return ("repositories", repositories.Root);
    }

    /// <summary>Free bytes for this process's user on the disk holding <paramref name="path"/> (its nearest existing parent).</summary>
    public static long? FreeBytes(string path)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }
        try
        {
            return new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);
}
