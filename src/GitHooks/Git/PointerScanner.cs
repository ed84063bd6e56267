using System.Runtime.CompilerServices;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Git;

/// <summary>A pointer found in git's object database, with one path it appears at.</summary>
public sealed record ScannedPointer(string Path, LfsPointer Pointer, string BlobId);

/// <summary>
/// Finds LFS pointers in commits without checking anything out: <c>ls-tree</c> for one tree,
/// <c>rev-list --objects</c> for ranges of history (what pre-push sends, what fetch --all needs),
/// both filtered to blobs under 1024 bytes and parsed by <c>cat-file --batch</c>.
/// </summary>
public sealed class PointerScanner(GitRunner git)
{
    /// <summary>Pointers in the tree of <paramref name="treeish"/> (e.g. HEAD), one per path.</summary>
    public async IAsyncEnumerable<ScannedPointer> ScanTreeAsync(string treeish, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var output = await git.RunCheckedAsync(cancellationToken, "ls-tree", "-r", "-z", "-l", "--full-tree", treeish);
        var paths = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // <mode> SP <type> SP <object> SP+ <size> TAB <path>
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var fields = entry[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1] == "blob" && long.TryParse(fields[3], out var size) && size < LfsPointer.MaxSize)
            {
                if (!paths.TryGetValue(fields[2], out var list))
                {
                    paths[fields[2]] = list = [];
                }
                list.Add(entry[(tab + 1)..]);
            }
        }
        await foreach (var found in ParseAsync(paths, cancellationToken))
        {
            yield return found;
        }
    }

    /// <summary>Pointers in the index (stage 0 and conflict stages alike), one per path.</summary>
    public async IAsyncEnumerable<ScannedPointer> ScanIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var output = await git.RunCheckedAsync(cancellationToken, "ls-files", "-s", "-z");
        var paths = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // <mode> SP <object> SP <stage> TAB <path>
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var fields = entry[..tab].Split(' ');
            if (fields[0] is "100644" or "100755")
            {
                if (!paths.TryGetValue(fields[1], out var list))
                {
                    paths[fields[1]] = list = [];
                }
                list.Add(entry[(tab + 1)..]);
            }
        }
        // Only blobs small enough to be pointers are read: the index may hold large plain files.
        var sizes = await git.RunAsync(["cat-file", "--batch-check=%(objectname) %(objectsize)"], string.Concat(paths.Keys.Select(k => k + "\n")), cancellationToken);
        foreach (var line in sizes.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && (!long.TryParse(parts[1], out var size) || size >= LfsPointer.MaxSize))
            {
                paths.Remove(parts[0]);
            }
        }
        await foreach (var found in ParseAsync(paths, cancellationToken))
        {
            yield return found;
        }
    }

    /// <summary>
    /// Pointers in blobs reachable from <paramref name="include"/> but not from
    /// <paramref name="exclude"/> (object names or rev-list arguments such as <c>--remotes=origin</c>).
    /// </summary>
    public async IAsyncEnumerable<ScannedPointer> ScanHistoryAsync(IEnumerable<string> include, IEnumerable<string> exclude,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<string> args = ["rev-list", "--objects", "--filter=blob:limit=1024", .. include];
        var excluded = exclude.ToList();
        if (excluded.Count > 0)
        {
            args.Add("--not");
            args.AddRange(excluded);
        }
        args.Add("--");
        var output = await git.RunCheckedAsync(cancellationToken, [.. args]);
        var paths = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && space < line.Length - 1)
            {
                var id = line[..space];
                if (!paths.TryGetValue(id, out var list))
                {
                    paths[id] = list = [];
                }
                list.Add(line[(space + 1)..]);
            }
        }
        await foreach (var found in ParseAsync(paths, cancellationToken))
        {
            yield return found;
        }
    }

    private async IAsyncEnumerable<ScannedPointer> ParseAsync(Dictionary<string, List<string>> paths, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            yield break;
        }
        await foreach (var obj in CatFileBatch.ReadAsync(git, paths.Keys.ToAsyncEnumerable(), LfsPointer.MaxSize, cancellationToken))
        {
            if (obj.Type == "blob" && obj.Content is not null && LfsPointer.TryParse(obj.Content, out var pointer))
            {
                foreach (var path in paths[obj.Name])
                {
                    yield return new ScannedPointer(path, pointer, obj.Name);
                }
            }
        }
    }
}
