using System.Collections.Immutable;
using StorageServer.Retention.Planning;

namespace StorageServer.Retention.Keeping;

/// <summary>
/// "The first N distinct oids at path p walking <c>git rev-list --topo-order r</c>, newest first,
/// commits without a pointer at p skipped", computed from the trees themselves rather than from
/// where pointers were introduced (the two orders differ around merges). The walk carries the
/// tree's pointers from commit to commit: the tip's from <c>ls-tree</c>, each next commit's from a
/// child's with the edge's differences applied (<see cref="TreeDiffs"/>); which blob is which
/// pointer comes from the pointer index and the tip trees. DVC-tracked files are not git files:
/// each commit whose DVC metadata changed along an edge brings its files whole (<c>dvcVersions</c>).
/// </summary>
internal static class LastVersionsWalk
{
    /// <returns>For each path, the first <paramref name="versions"/> distinct oids in walk order.</returns>
    public static Dictionary<string, List<string>> Walk(
        CommitHistory history, IReadOnlyList<TipPointer> tipTree, IReadOnlyDictionary<(string Child, string Parent), List<PathChange>> changes,
        IReadOnlyDictionary<string, string> oidOfBlob, int versions, IReadOnlyDictionary<string, IReadOnlyList<TipPointer>>? dvcVersions = null)
    {
        var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void See(string path, string oid)
        {
            if (!seen.TryGetValue(path, out var list))
            {
                seen[path] = list = [];
            }
            if (list.Count < versions && !list.Contains(oid, StringComparer.Ordinal))
            {
                list.Add(oid);
            }
        }
        var order = history.Commits;
        if (order.Count == 0)
        {
            return seen;
        }
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var commit in order)
        {
            foreach (var parent in history.Parents[commit])
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(commit);
            }
        }
        var tip = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var pointer in tipTree)
        {
            tip[pointer.Path] = pointer.Oid;
            See(pointer.Path, pointer.Oid);
        }
        // A commit's pointers are kept until every parent of it has taken its own from them.
        var trees = new Dictionary<string, ImmutableDictionary<string, string>>(StringComparer.Ordinal) { [order[0]] = tip.ToImmutable() };
        var parentsLeft = order.ToDictionary(c => c, c => history.Parents[c].Length, StringComparer.Ordinal);
        for (var i = 1; i < order.Count; i++)
        {
            var commit = order[i];
            var mine = children[commit];
            var child = mine.Contains(order[i - 1], StringComparer.Ordinal) ? order[i - 1] : mine.First(trees.ContainsKey);
            var tree = trees[child];
            foreach (var change in changes[(child, commit)])
            {
                // The edge child←commit: Old is this commit's blob at the path.
                var oid = change.Old is null ? null : oidOfBlob.GetValueOrDefault(change.Old);
                tree = oid is null ? tree.Remove(change.Path) : tree.SetItem(change.Path, oid);
                if (oid is not null)
                {
                    See(change.Path, oid);
                }
            }
            foreach (var file in dvcVersions?.GetValueOrDefault(commit) ?? [])
            {
                See(file.Path, file.Oid);
            }
            trees[commit] = tree;
            foreach (var done in mine)
            {
                if (--parentsLeft[done] == 0)
                {
                    trees.Remove(done);
                }
            }
        }
        return seen;
    }
}
