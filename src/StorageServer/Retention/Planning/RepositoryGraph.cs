using System.Globalization;
using StorageServer.Dvc.Indexing;
using StorageServer.Git;
using StorageServer.Git.Refs;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;

namespace StorageServer.Retention.Planning;

/// <summary>
/// Reads which pointers a ref keeps at its tip, with git plumbing, streamed: the pointers in a
/// commit's or tree's tree (<c>ls-tree -r -l</c> → <c>cat-file --batch</c> for blobs under the
/// pointer size limit, and DVC metadata files, whose outputs resolve through the repository's DVC
/// uploads on every read), or a ref's own blob. Refs come from <see cref="RefReader"/>, histories from
/// <see cref="CommitHistories"/>.
/// </summary>
public sealed class RepositoryGraph(GitProcess git, TipPointerCache cache, DvcTipPointers? dvc = null)
{
    /// <summary>
    /// The pointers each ref keeps at its tip, by <see cref="GitRef.Target"/>: every pointer in the
    /// tree of a commit or tree (recursively), with the files the tree's DVC outputs name in repository
    /// <paramref name="repositoryId"/>, or the blob itself when a ref names a pointer blob.
    /// </summary>
    public async Task<Dictionary<string, IReadOnlyList<TipPointer>>> ReadRefPointersAsync(
        long repositoryId, string gitDir, IEnumerable<GitRef> refs, CancellationToken cancellationToken)
    {
        var targets = refs.DistinctBy(r => r.Target).ToList();
        var result = await ReadTipPointersAsync(repositoryId, gitDir, targets.Where(t => t.Kind != PeeledKind.Blob).Select(t => t.Target).ToList(), cancellationToken);
        var blobs = targets.Where(t => t.Kind == PeeledKind.Blob).Select(t => t.Target).ToList();
        if (blobs.Count > 0)
        {
            var small = await SmallBlobsAsync(gitDir, blobs, cancellationToken);
            var pointers = await PointerBlobs.ReadAsync(git, gitDir, small, null, cancellationToken);
            foreach (var blob in blobs)
            {
                result[blob] = pointers.TryGetValue(blob, out var p) ? [new TipPointer(string.Empty, p.Oid.Value, p.Size, blob)] : [];
            }
        }
        return result;
    }

    /// <summary>
    /// The pointers in the tree of each of <paramref name="commits"/> (commits or trees) of repository
    /// <paramref name="repositoryId"/>: trees already read come from the cache, DVC outputs are resolved
    /// against the repository's uploads now (data may arrive after its commit).
    /// </summary>
    public Task<Dictionary<string, IReadOnlyList<TipPointer>>> ReadTipPointersAsync(
        long repositoryId, string gitDir, IReadOnlyCollection<string> commits, CancellationToken cancellationToken) =>
        ReadTipPointersAsync(repositoryId, gitDir, commits, null, null, cancellationToken);

    /// <summary>
    /// As above, for the push check, which reads a pushed tip's tree before the push lands (and so leaves
    /// it cached for the reachability refresh after it): <paramref name="environment"/> holds git's
    /// quarantine variables, and blobs <paramref name="alreadyRead"/> (the push's commit scan) sized are
    /// not read again (those under the pointer size limit were read and parsed as here).
    /// </summary>
    public async Task<Dictionary<string, IReadOnlyList<TipPointer>>> ReadTipPointersAsync(
        long repositoryId, string gitDir, IReadOnlyCollection<string> commits, IReadOnlyDictionary<string, string>? environment,
        PointerScan? alreadyRead, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<TipPointer>>(StringComparer.Ordinal);
        var files = new Dictionary<string, List<(string Path, string Blob)>>(StringComparer.Ordinal);
        foreach (var commit in commits.Distinct(StringComparer.Ordinal))
        {
            if (cache.TryGet(commit, out var cached))
            {
                result[commit] = cached;
            }
            else
            {
                files[commit] = await SmallFilesAsync(gitDir, commit, environment, cancellationToken);
            }
        }
        if (files.Count > 0)
        {
            var known = alreadyRead?.BlobSizes ?? new Dictionary<string, long>();
            var blobs = files.Values.SelectMany(f => f).Select(f => f.Blob).Distinct(StringComparer.Ordinal).ToList();
            var pointers = await PointerBlobs.ReadAsync(git, gitDir, blobs.Where(b => !known.ContainsKey(b)).ToList(), environment, cancellationToken);
            foreach (var blob in blobs)
            {
                if (alreadyRead is not null && alreadyRead.PointerBlobs.TryGetValue(blob, out var pointer))
                {
                    pointers[blob] = pointer;
                }
            }
            var outputs = dvc is null ? null : await dvc.ReadOutputsAsync(gitDir, files, environment, cancellationToken);
            foreach (var (commit, entries) in files)
            {
                var found = entries.Where(e => pointers.ContainsKey(e.Blob))
                    .Select(e => new TipPointer(e.Path, pointers[e.Blob].Oid.Value, pointers[e.Blob].Size, e.Blob))
                    .Concat(outputs?.GetValueOrDefault(commit) ?? []).ToList();
                cache.Add(commit, found);
                result[commit] = found;
            }
        }
        return dvc is null ? result : await dvc.ResolveAsync(repositoryId, result, cancellationToken);
    }

    /// <summary>Which of <paramref name="blobs"/> are under the pointer size limit (a ref may name a blob of any size).</summary>
    private async Task<List<string>> SmallBlobsAsync(string gitDir, List<string> blobs, CancellationToken cancellationToken)
    {
        var result = (await git.RunAsync(gitDir, ["cat-file", "--batch-check=%(objectname) %(objectsize)"], cancellationToken, string.Join('\n', blobs) + "\n"))
            .EnsureSuccess("cat-file --batch-check");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .Where(f => f.Length == 2 && long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size < LfsPointer.MaxSize)
            .Select(f => f[0]).ToList();
    }

    /// <summary>Regular files under the pointer size limit, and DVC metadata files, in a commit's tree.</summary>
    private Task<List<(string Path, string Blob)>> SmallFilesAsync(
        string gitDir, string commit, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken) =>
        TreeFiles.ListAsync(git, gitDir, commit, (path, size) => size < LfsPointer.MaxSize || (dvc is not null && dvc.IsMetadata(path, size)), environment, cancellationToken);
}
