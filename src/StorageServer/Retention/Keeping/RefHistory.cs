using StorageServer.Dvc.Tracking;
using StorageServer.Git.Refs;
using StorageServer.Retention.Planning;
using StorageServer.Retention.Reachability;

namespace StorageServer.Retention.Keeping;

/// <summary>
/// The history side of a <see cref="RepositoryKeepState"/>: which refs' history holds each commit
/// (one <c>rev-list</c> for all refs, then a walk of the parent links per tip), the pointers of
/// commits git holds but no ref reaches, and the last versions of each path along the refs a
/// keepLastVersions rule covers (LFS pointers and the files DVC outputs name, at their data paths).
/// </summary>
internal sealed class RefHistory(CommitHistories histories, TreeDiffs diffs, UnreachableCommits unreachable, RepositoryGraph graph)
{
    public Dictionary<string, List<string>> RefsByCommit { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, HashSet<string>> Unreachable { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<string, List<string>>> LastVersions { get; } = new(StringComparer.Ordinal);

    public async Task ReadAsync(
        long repositoryId, string gitDir, IReadOnlyList<GitRef> refs, IReadOnlyList<IndexedPointer> indexed, EffectivePolicies policies, CancellationToken cancellationToken)
    {
        var commitRefs = refs.Where(r => r.IsCommit).ToList();
        var all = await histories.ReadAsync(gitDir, commitRefs.Select(r => r.Target).ToList(), cancellationToken);
        foreach (var tip in commitRefs.GroupBy(r => r.Target, StringComparer.Ordinal))
        {
            var names = tip.Select(r => r.Name).ToList();
            foreach (var commit in Reachable(all, tip.Key))
            {
                (RefsByCommit.TryGetValue(commit, out var list) ? list : RefsByCommit[commit] = []).AddRange(names);
            }
        }
        var dead = await unreachable.FindAsync(gitDir, all.Parents, cancellationToken);
        foreach (var pointer in (await graph.ReadTipPointersAsync(repositoryId, gitDir, dead, cancellationToken)).Values.SelectMany(p => p))
        {
            (Unreachable.TryGetValue(pointer.Oid, out var paths) ? paths : Unreachable[pointer.Oid] = new HashSet<string>(StringComparer.Ordinal)).Add(pointer.Path);
        }
        var lastRules = policies.History.Where(r => r.Policy.KeepLastVersions is not null).ToList();
        if (lastRules.Count > 0)
        {
            var walked = commitRefs.Where(r => lastRules.Any(rule => rule.AppliesToRef(r.Name))).ToList();
            await ReadLastVersionsAsync(repositoryId, gitDir, walked, indexed, lastRules.Max(r => r.Policy.KeepLastVersions!.Value), cancellationToken);
        }
    }

    private async Task ReadLastVersionsAsync(long repositoryId, string gitDir, List<GitRef> walked, IReadOnlyList<IndexedPointer> indexed, int versions, CancellationToken cancellationToken)
    {
        var tips = walked.Select(r => r.Target).Distinct(StringComparer.Ordinal).ToList();
        var orders = new Dictionary<string, CommitHistory>(StringComparer.Ordinal);
        foreach (var tip in tips)
        {
            orders[tip] = await histories.ReadAsync(gitDir, [tip], cancellationToken);
        }
        var edges = orders.Values.SelectMany(h => h.Commits.SelectMany(c => h.Parents[c].Length == 0
                ? [(c, (string?)null)]
                : h.Parents[c].Select(p => (c, (string?)p))))
            .Distinct().ToList();
        var changes = await diffs.ReadAsync(gitDir, edges, cancellationToken);
        var tipTrees = await graph.ReadTipPointersAsync(repositoryId, gitDir, tips, cancellationToken);
        var oidOfBlob = BlobOids(changes, tipTrees.Values.SelectMany(p => p).Where(p => p.Dvc is null), indexed);
        var dvcVersions = await DvcVersionsAsync(repositoryId, gitDir, changes, cancellationToken);
        foreach (var tip in tips)
        {
            var lastVersions = LastVersionsWalk.Walk(orders[tip], tipTrees[tip], changes, oidOfBlob, versions, dvcVersions);
            foreach (var reference in walked.Where(r => r.Target == tip))
            {
                LastVersions[reference.Name] = lastVersions;
            }
        }
    }

    /// <summary>
    /// The DVC-tracked files of each commit whose DVC metadata (a <c>.dvc</c> file, <c>dvc.lock</c> or
    /// <c>dvc.yaml</c>) differs from one of its children's: a new version of a DVC-tracked file changes
    /// its metadata, not its data path. A commit whose metadata equals all its children's names the
    /// same files as they do, which the walk has already seen.
    /// </summary>
    private async Task<Dictionary<string, IReadOnlyList<TipPointer>>> DvcVersionsAsync(
        long repositoryId, string gitDir, Dictionary<(string Child, string Parent), List<PathChange>> changes, CancellationToken cancellationToken)
    {
        var commits = changes.Where(e => e.Key.Parent.Length > 0 && e.Value.Any(c => DvcMetadataPaths.IsMetadata(c.Path) || DvcMetadataPaths.IsPipeline(c.Path)))
            .Select(e => e.Key.Parent).Distinct(StringComparer.Ordinal).ToList();
        var trees = await graph.ReadTipPointersAsync(repositoryId, gitDir, commits, cancellationToken);
        return trees.ToDictionary(t => t.Key, t => (IReadOnlyList<TipPointer>)t.Value.Where(p => p.Dvc is not null).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Which blob is which pointer: the tips' trees say, and so does every edge into a commit where the index records a pointer's introduction.</summary>
    private static Dictionary<string, string> BlobOids(
        Dictionary<(string Child, string Parent), List<PathChange>> changes, IEnumerable<TipPointer> tipPointers, IReadOnlyList<IndexedPointer> indexed)
    {
        var oids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pointer in tipPointers)
        {
            oids[pointer.Blob] = pointer.Oid;
        }
        var introduced = indexed.GroupBy(p => p.Commit, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.GroupBy(p => p.Path, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.First().Oid, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var ((child, _), edge) in changes)
        {
            if (introduced.TryGetValue(child, out var paths))
            {
                foreach (var change in edge)
                {
                    if (change.New is not null && paths.TryGetValue(change.Path, out var oid))
                    {
                        oids[change.New] = oid;
                    }
                }
            }
        }
        return oids;
    }

    /// <summary>Every commit reachable from <paramref name="tip"/> through parent links.</summary>
    private static HashSet<string> Reachable(CommitHistory all, string tip)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { tip };
        var stack = new Stack<string>([tip]);
        while (stack.TryPop(out var commit))
        {
            foreach (var parent in all.Parents.GetValueOrDefault(commit) ?? [])
            {
                if (seen.Add(parent))
                {
                    stack.Push(parent);
                }
            }
        }
        return seen;
    }
}
