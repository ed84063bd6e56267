using StorageServer.Data.Entities;
using StorageServer.Git;
using StorageServer.Retention.Planning;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// Asks git, at the moment of deletion, whether a protected tip of a repository references an
/// object: refs are read every time (a push may have just landed), trees are cached by commit
/// (a commit's tree never changes). Used by the sweep, independent of the reachability table.
/// </summary>
public sealed class TipReferenceCheck(RepositoryGraph graph, GitRepositoryLayout layout)
{
    // By repository and commit: a commit's DVC outputs resolve through each repository's own uploads.
    private readonly Dictionary<(long, string), HashSet<string>> _oidsByCommit = [];

    public async Task<string?> FindReferencingRefAsync(Repository repository, EffectivePolicies policies, string oid, CancellationToken cancellationToken)
    {
        var gitDir = layout.PathOf(repository.Name);
        if (!Directory.Exists(gitDir))
        {
            return null;
        }
        foreach (var tip in (await graph.ReadRefsAsync(gitDir, cancellationToken)).Where(r => policies.IsProtected(r.Ref)))
        {
            if (!_oidsByCommit.TryGetValue((repository.Id, tip.Commit), out var oids))
            {
                var pointers = await graph.ReadTipPointersAsync(repository.Id, gitDir, [tip.Commit], cancellationToken);
                _oidsByCommit[(repository.Id, tip.Commit)] = oids = pointers[tip.Commit].Select(p => p.Oid).ToHashSet(StringComparer.Ordinal);
            }
            if (oids.Contains(oid))
            {
                return tip.Ref;
            }
        }
        return null;
    }
}
