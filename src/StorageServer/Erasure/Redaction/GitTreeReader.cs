using System.Globalization;
using StorageServer.Git;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;

namespace StorageServer.Erasure.Redaction;

/// <summary>Reads which LFS pointers a commit holds at given paths, with two git processes per call whatever the number of paths.</summary>
public sealed class GitTreeReader(GitProcess git)
{
    private const int PathsPerCommand = 200;

    public Task<List<string>> BranchesAsync(string gitDir, CancellationToken cancellationToken) => RefsAsync(gitDir, "refs/heads/", cancellationToken);

    public Task<List<string>> TagsAsync(string gitDir, CancellationToken cancellationToken) => RefsAsync(gitDir, "refs/tags/", cancellationToken);

    private async Task<List<string>> RefsAsync(string gitDir, string prefix, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(gitDir))
        {
            return [];
        }
        var result = (await git.RunAsync(gitDir, ["for-each-ref", "--format=%(refname)", prefix], cancellationToken)).EnsureSuccess("for-each-ref");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>The commit a ref points at, tags peeled fully; null when it points at no commit.</summary>
    public async Task<string?> TipAsync(string gitDir, string branch, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(gitDir, ["rev-parse", "--verify", "--quiet", branch + "^{commit}"], cancellationToken);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>The oid of the LFS pointer at each of <paramref name="paths"/> in <paramref name="commit"/> that holds one.</summary>
    public async Task<Dictionary<string, string>> PointersAtAsync(string gitDir, string commit, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var blobs = new Dictionary<string, List<string>>(StringComparer.Ordinal); // blob sha → paths
        foreach (var chunk in paths.Chunk(PathsPerCommand))
        {
            var listing = (await git.RunAsync(gitDir, ["ls-tree", "-l", "-z", "--full-tree", commit, "--", .. chunk], cancellationToken)).EnsureSuccess("ls-tree");
            foreach (var entry in listing.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                // <mode> SP <type> SP <sha> SP+ <size> TAB <path>
                var tab = entry.IndexOf('\t', StringComparison.Ordinal);
                var fields = entry[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[1] == "blob" && long.TryParse(fields[3], CultureInfo.InvariantCulture, out var size) && size <= LfsPointer.MaxSize)
                {
                    (blobs.TryGetValue(fields[2], out var list) ? list : blobs[fields[2]] = []).Add(entry[(tab + 1)..]);
                }
            }
        }
        var pointers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (blobs.Count == 0)
        {
            return pointers;
        }
        foreach (var (sha, pointer) in await PointerBlobs.ReadAsync(git, gitDir, blobs.Keys, null, cancellationToken))
        {
            foreach (var path in blobs[sha])
            {
                pointers[path] = pointer.Oid.Value;
            }
        }
        return pointers;
    }
}
