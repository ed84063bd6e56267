using GitHooks.Git;
using StorageServer.Protocol.Pointers;

namespace GitHooks.LocalStorage;

/// <summary>A tracked file in the work tree that still holds a pointer instead of its data.</summary>
public sealed record WorkTreePointer(string Path, LfsPointer Pointer);

/// <summary>
/// Replaces pointer files in the work tree with their data, atomically (temp file + rename, so a
/// reader never sees half a file), keeping the file mode, and only if the file still holds the
/// pointer (the user may have edited it meanwhile). Then updates the index entries of the
/// replaced files, whose clean output is the same pointer, so they show as unchanged.
/// </summary>
public sealed class WorkTreeCheckout(GitRunner git, Repository repository)
{
    private const int BufferSize = 1 << 16;

    private string WorkTree => repository.WorkTree ?? throw new UserException("This operation needs a work tree.");

    /// <summary>Among <paramref name="paths"/> (relative to the work tree), the LFS-tracked ones that are pointers.</summary>
    public async Task<List<WorkTreePointer>> FindPointersAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        var tracked = await new LfsAttributes(git).FilterTrackedAsync(paths, cancellationToken);
        var found = new List<WorkTreePointer>();
        foreach (var path in tracked)
        {
            if (await ReadPointerAsync(Path.Combine(WorkTree, path), cancellationToken) is { Size: > 0 } pointer)
            {
                found.Add(new WorkTreePointer(path, pointer));
            }
        }
        return found;
    }

    /// <summary>All paths in the index.</summary>
    public async Task<List<string>> IndexPathsAsync(CancellationToken cancellationToken)
    {
        var output = await git.RunCheckedAsync(cancellationToken, "ls-files", "-z", "--full-name");
        return [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>Writes cached data over pointer files; returns the paths replaced.</summary>
    public async Task<List<string>> ReplaceAsync(IEnumerable<WorkTreePointer> pointers, CancellationToken cancellationToken)
    {
        var replaced = new List<string>();
        foreach (var item in pointers)
        {
            if (!repository.Objects.Contains(item.Pointer))
            {
                continue;
            }
            var target = Path.Combine(WorkTree, item.Path);
            if (await ReadPointerAsync(target, cancellationToken) is not { } current || current.Oid != item.Pointer.Oid || current.Size != item.Pointer.Size)
            {
                continue;
            }
            string tempPath;
            await using (var temp = repository.Objects.CreateTempFile())
            {
                tempPath = temp.Name;
                await using var data = repository.Objects.OpenRead(item.Pointer.Oid);
                await data.CopyToAsync(temp, BufferSize, cancellationToken);
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tempPath, File.GetUnixFileMode(target));
            }
            File.Move(tempPath, target, overwrite: true);
            replaced.Add(item.Path);
        }
        if (replaced.Count > 0)
        {
            // The index still records the pointer file's size, and git treats a size change as a
            // modification without looking at content. Re-adding the paths runs clean on them,
            // which yields the same pointer blob, and records the new stat data: status stays clean.
            var input = string.Join('\0', replaced) + "\0";
            var result = await git.RunAsync(["update-index", "-q", "-z", "--stdin"], input, cancellationToken);
            if (!result.Succeeded)
            {
                throw new GitException($"git update-index failed: {result.StdErr.Trim()}");
            }
        }
        return replaced;
    }

    public static async Task<LfsPointer?> ReadPointerAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length >= LfsPointer.MaxSize || info.LinkTarget is not null)
        {
            return null;
        }
        var bytes = new byte[info.Length];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.Asynchronous))
        {
            var read = await file.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            if (read != bytes.Length)
            {
                return null;
            }
        }
        // Only a canonical pointer is one git could have checked out for a missing object: a file
        // that merely looks like a pointer is data (clean stores it as such), not work to do.
        return LfsPointer.IsCanonical(bytes) && LfsPointer.TryParse(bytes, out var pointer) ? pointer : null;
    }
}
