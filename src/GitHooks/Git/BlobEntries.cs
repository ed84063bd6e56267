using System.Runtime.CompilerServices;

namespace GitHooks.Git;

/// <summary>A file in a commit or the index: its path, blob id, where it was found (the commit id, or "index") and its mode.</summary>
public sealed record BlobEntry(string Path, string Blob, string Source, string Mode = "100644");

/// <summary>Every regular file of a commit's tree, of the index, or of the commits in a range A..B.</summary>
public sealed class BlobEntries(GitRunner git)
{
    public async IAsyncEnumerable<BlobEntry> TreeAsync(string commit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tree = (await git.RunCheckedAsync(cancellationToken, "rev-parse", commit + "^{tree}")).Trim();
        foreach (var entry in (await git.RunCheckedAsync(cancellationToken, "ls-tree", "-r", "-z", "--full-tree", tree)).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // <mode> SP <type> SP <object> TAB <path>
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var fields = entry[..tab].Split(' ');
            if (fields[1] == "blob" && fields[0] != "120000")
            {
                yield return new BlobEntry(entry[(tab + 1)..], fields[2], commit, fields[0]);
            }
        }
    }

    public async IAsyncEnumerable<BlobEntry> IndexAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var entry in (await git.RunCheckedAsync(cancellationToken, "ls-files", "-s", "-z")).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var fields = entry[..tab].Split(' ');
            if (fields[0] is "100644" or "100755")
            {
                yield return new BlobEntry(entry[(tab + 1)..], fields[1], "index", fields[0]);
            }
        }
    }

    /// <summary>The files of every commit in <c>from..to</c>, each distinct (path, blob) once.</summary>
    public async IAsyncEnumerable<BlobEntry> RangeAsync(string from, string to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var commit in (await git.RunCheckedAsync(cancellationToken, "rev-list", to, "^" + from, "--")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await foreach (var entry in TreeAsync(commit, cancellationToken))
            {
                if (seen.Add((entry.Path, entry.Blob)))
                {
                    yield return entry;
                }
            }
        }
    }
}
