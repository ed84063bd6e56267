using System.Security.Cryptography;
using GitHooks.Git;
using StorageServer.Protocol.Pointers;
using Oid = StorageServer.Protocol.Oid;

namespace GitHooks.LocalStorage;

/// <summary>
/// Fixes index entries that still describe a pointer file although the work tree already holds
/// the data, which happens when a command rewrites the index after our post-checkout ran (a
/// rebase does). Git sees the size change and calls the file modified without looking at it.
/// A path is re-added only when its content hashes to exactly the object its index pointer
/// names, so a real modification by the user is never staged.
/// </summary>
public sealed class StaleIndexEntries(GitRunner git)
{
    public async Task<List<string>> RefreshAsync(CancellationToken cancellationToken)
    {
        var dirty = (await git.RunCheckedAsync(cancellationToken, "diff-files", "--name-only", "-z"))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var tracked = await new LfsAttributes(git).FilterTrackedAsync(dirty, cancellationToken);
        if (tracked.Count == 0)
        {
            return [];
        }
        var blobs = await IndexBlobsAsync(tracked, cancellationToken);
        var pointers = new Dictionary<string, LfsPointer>(StringComparer.Ordinal);
        await foreach (var blob in CatFileBatch.ReadAsync(git, blobs.Values.Distinct().ToAsyncEnumerable(), LfsPointer.MaxSize, cancellationToken))
        {
            if (blob.Content is not null && LfsPointer.TryParse(blob.Content, out var pointer))
            {
                pointers[blob.Name] = pointer;
            }
        }
        var stale = new List<string>();
        foreach (var (path, blob) in blobs)
        {
            if (pointers.TryGetValue(blob, out var pointer) && await HoldsDataOfAsync(Path.Combine(git.WorkingDirectory, path), pointer, cancellationToken))
            {
                stale.Add(path);
            }
        }
        if (stale.Count > 0)
        {
            await git.RunAsync(["update-index", "-q", "-z", "--stdin"], string.Join('\0', stale) + "\0", cancellationToken);
        }
        return stale;
    }

    private async Task<Dictionary<string, string>> IndexBlobsAsync(List<string> paths, CancellationToken cancellationToken)
    {
        var wanted = paths.ToHashSet(StringComparer.Ordinal);
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        // <mode> SP <object> SP <stage> TAB <path>
        foreach (var entry in (await git.RunCheckedAsync(cancellationToken, "ls-files", "-s", "-z")).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var fields = entry[..tab].Split(' ');
            var path = entry[(tab + 1)..];
            if (fields[2] == "0" && wanted.Contains(path))
            {
                blobs[path] = fields[1];
            }
        }
        return blobs;
    }

    private static async Task<bool> HoldsDataOfAsync(string path, LfsPointer pointer, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != pointer.Size || info.LinkTarget is not null)
        {
            return false;
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Oid.FromHash(await SHA256.HashDataAsync(file, cancellationToken)) == pointer.Oid;
    }
}
