using StorageServer.Protocol.Pointers;
using StorageServer.Retention.Planning;

namespace StorageServer.Indexing;

/// <summary>
/// The LFS pointers in the whole trees of a push's tips, for the push check. A push of one new commit
/// (the common push of a branch) has its tree read as retention reads a protected tip
/// (<see cref="RepositoryGraph"/>: every path, cached by commit), so the reachability refresh after the
/// push finds the tree already read instead of listing and reading it again; blobs the commit scan read
/// are not read twice either way. Other pushes (several tips, a ref moved to a commit the repository
/// had, a tag) go through <see cref="PointerScanner.ScanTipTreesAsync"/>, one process for all tips.
/// </summary>
public sealed class PushTipTrees(PointerScanner scanner, RepositoryGraph graph)
{
    /// <param name="environment">git's quarantine variables: the pushed objects are visible only through them.</param>
    public async Task<IReadOnlyList<PointerEntry>> ScanAsync(
        long repositoryId, string gitDir, IReadOnlyList<string> tips, IReadOnlyDictionary<string, string> environment, PointerScan scan,
        CancellationToken cancellationToken)
    {
        if (tips.Count != 1 || !scan.Commits.Contains(tips[0], StringComparer.Ordinal))
        {
            return await scanner.ScanTipTreesAsync(gitDir, tips, environment, scan, cancellationToken);
        }
        var tip = tips[0];
        var pointers = (await graph.ReadTipPointersAsync(repositoryId, gitDir, [tip], environment, scan, cancellationToken))[tip];
        // DVC outputs resolved to objects are the DVC check's (DvcTipCheck); only LFS pointers here.
        return pointers.Where(p => p.Dvc is null).Select(p => new PointerEntry(tip, p.Path, new LfsPointer(Protocol.Oid.Parse(p.Oid), p.Size))).ToList();
    }
}
