using System.Globalization;
using System.Text;
using StorageServer.Dvc.Indexing;
using StorageServer.Git;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;

namespace StorageServer.Retention.Planning;

/// <summary>A ref and the commit it peels to.</summary>
public sealed record RefTip(string Ref, string Commit);

/// <summary>
/// A pointer at a path of a tree: an LFS pointer, or a file DVC tracks there (<see cref="Dvc"/>
/// says which output, and for a directory's entry its relpath; a directory's manifest is at the
/// directory's path).
/// </summary>
public sealed record TipPointer(string Path, string Oid, long Size)
{
    public DvcPointer? Dvc { get; init; }
}

/// <summary>
/// Reads what retention needs from a bare repository with git plumbing, streamed: the refs and
/// the commits they peel to (<c>for-each-ref</c>), the pointers in a commit's tree
/// (<c>ls-tree -r -l</c> → <c>cat-file --batch</c> for blobs under the pointer size limit and DVC
/// metadata files, whose outputs resolve through the repository's DVC uploads on every read),
/// and a ref's history (<c>rev-list --topo-order</c>, newest first).
/// </summary>
public sealed class RepositoryGraph(GitProcess git, TipPointerCache cache, DvcTipPointers? dvc = null)
{
    public async Task<IReadOnlyList<RefTip>> ReadRefsAsync(string gitDir, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(gitDir, ["for-each-ref", "--format=%(refname) %(objectname) %(objecttype) %(*objectname) %(*objecttype)"], cancellationToken);
        result.EnsureSuccess("for-each-ref");
        var tips = new List<RefTip>();
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length >= 3 && parts[2] == "commit")
            {
                tips.Add(new RefTip(parts[0], parts[1]));
            }
            else if (parts.Length >= 5 && parts[2] == "tag" && parts[4] == "commit")
            {
                tips.Add(new RefTip(parts[0], parts[3]));
            }
        }
        return tips;
    }

    /// <summary>
    /// The pointers in the tree of each of <paramref name="commits"/> of repository <paramref name="repositoryId"/>
    /// (trees already read come from the cache; DVC outputs are resolved against the repository's uploads now).
    /// </summary>
    public async Task<Dictionary<string, IReadOnlyList<TipPointer>>> ReadTipPointersAsync(
        long repositoryId, string gitDir, IReadOnlyCollection<string> commits, CancellationToken cancellationToken)
    {
        var read = new Dictionary<string, IReadOnlyList<TipPointer>>(StringComparer.Ordinal);
        var files = new Dictionary<string, List<(string Path, string Blob)>>(StringComparer.Ordinal);
        foreach (var commit in commits.Distinct(StringComparer.Ordinal))
        {
            if (cache.TryGet(commit, out var cached))
            {
                read[commit] = cached;
            }
            else
            {
                files[commit] = await SmallFilesAsync(gitDir, commit, cancellationToken);
            }
        }
        if (files.Count > 0)
        {
            var blobs = files.Values.SelectMany(f => f).Select(f => f.Blob).Distinct(StringComparer.Ordinal).ToList();
            var pointers = await PointerBlobs.ReadAsync(git, gitDir, blobs, null, cancellationToken);
            var outputs = dvc is null ? null : await dvc.ReadOutputsAsync(gitDir, files, cancellationToken);
            foreach (var (commit, entries) in files)
            {
                var found = entries.Where(e => pointers.ContainsKey(e.Blob))
                    .Select(e => new TipPointer(e.Path, pointers[e.Blob].Oid.Value, pointers[e.Blob].Size))
                    .Concat(outputs?.GetValueOrDefault(commit) ?? []).ToList();
                cache.Add(commit, found);
                read[commit] = found;
            }
        }
        return dvc is null ? read : await dvc.ResolveAsync(repositoryId, read, cancellationToken);
    }

    /// <summary>Commits reachable from <paramref name="commit"/>, children before parents.</summary>
    public async Task<List<string>> ReadHistoryAsync(string gitDir, string commit, CancellationToken cancellationToken)
    {
        using var process = git.Start(gitDir, ["rev-list", "--topo-order", commit], redirectInput: false);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var commits = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                commits.Add(line);
            }
        }
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? commits : throw new InvalidOperationException($"git rev-list failed: {(await errors).Trim()}");
    }

    /// <summary>Regular files under the pointer size limit, and DVC metadata files, in a commit's tree: <c>ls-tree -r -l -z</c>.</summary>
    private async Task<List<(string Path, string Blob)>> SmallFilesAsync(string gitDir, string commit, CancellationToken cancellationToken)
    {
        using var process = git.Start(gitDir, ["ls-tree", "-r", "-l", "-z", "--full-tree", commit], redirectInput: false);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var reader = new GitOutputReader(process.StandardOutput.BaseStream);
        var files = new List<(string, string)>();
        while (await reader.ReadRecordAsync(0, cancellationToken) is { } record)
        {
            // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
            var text = Encoding.UTF8.GetString(record);
            var tab = text.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                continue;
            }
            var fields = text[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4 && fields[0] is "100644" or "100755" && fields[1] == "blob"
                && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && (size < LfsPointer.MaxSize || (dvc is not null && dvc.IsMetadata(text[(tab + 1)..], size))))
            {
                files.Add((text[(tab + 1)..], fields[2]));
            }
        }
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? files : throw new InvalidOperationException($"git ls-tree failed: {(await errors).Trim()}");
    }
}
