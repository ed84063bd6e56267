using StorageServer.Retention.Reachability;

namespace StorageServer.Retention.Planning;

/// <summary>
/// Each ref's history (rev-list, newest first) joined with the pointer index: which refs' history
/// holds an object, and the versions of each path along each ref, for "keep the last N versions".
/// </summary>
public sealed class HistoryIndex
{
    private readonly Dictionary<string, List<string>> _historyByRef;
    private readonly Dictionary<string, List<IndexedPointer>> _pointersByCommit;
    private readonly Dictionary<string, HashSet<string>> _refsByOid = new(StringComparer.Ordinal);
    private readonly Dictionary<HistoryRule, HashSet<string>> _kept = [];

    private HistoryIndex(Dictionary<string, List<string>> historyByRef, Dictionary<string, List<IndexedPointer>> pointersByCommit)
    {
        _historyByRef = historyByRef;
        _pointersByCommit = pointersByCommit;
        foreach (var (reference, commits) in historyByRef)
        {
            foreach (var commit in commits)
            {
                foreach (var pointer in pointersByCommit.GetValueOrDefault(commit) ?? [])
                {
                    if (!_refsByOid.TryGetValue(pointer.Oid, out var refs))
                    {
                        _refsByOid[pointer.Oid] = refs = new HashSet<string>(StringComparer.Ordinal);
                    }
                    refs.Add(reference);
                }
            }
        }
    }

    public static async Task<HistoryIndex> BuildAsync(
        RepositoryGraph graph, string gitDir, IReadOnlyList<RefTip> refs, IReadOnlyList<IndexedPointer> pointers, CancellationToken cancellationToken)
    {
        var byTip = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var historyByRef = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var tip in refs)
        {
            if (!byTip.TryGetValue(tip.Commit, out var commits))
            {
                byTip[tip.Commit] = commits = await graph.ReadHistoryAsync(gitDir, tip.Commit, cancellationToken);
            }
            historyByRef[tip.Ref] = commits;
        }
        var pointersByCommit = pointers.GroupBy(p => p.Commit, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return new HistoryIndex(historyByRef, pointersByCommit);
    }

    public IReadOnlyCollection<string> RefsContaining(string oid) => _refsByOid.GetValueOrDefault(oid) ?? [];

    public string? FirstRefContaining(string oid) => _refsByOid.GetValueOrDefault(oid)?.Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Whether <paramref name="oid"/> is one of the newest <paramref name="last"/> versions of a path the rule covers, on a ref it covers.</summary>
    public bool IsAmongLastVersions(HistoryRule rule, string oid, int last)
    {
        if (!_kept.TryGetValue(rule, out var kept))
        {
            _kept[rule] = kept = ComputeKept(rule, last);
        }
        return kept.Contains(oid);
    }

    private HashSet<string> ComputeKept(HistoryRule rule, int last)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (reference, commits) in _historyByRef.Where(h => rule.AppliesToRef(h.Key)))
        {
            var versions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var commit in commits)
            {
                foreach (var pointer in _pointersByCommit.GetValueOrDefault(commit) ?? [])
                {
                    if (!rule.AppliesToPath(pointer.Path))
                    {
                        continue;
                    }
                    if (!versions.TryGetValue(pointer.Path, out var seen))
                    {
                        versions[pointer.Path] = seen = [];
                    }
                    if (seen.Count < last && !seen.Contains(pointer.Oid))
                    {
                        seen.Add(pointer.Oid);
                        kept.Add(pointer.Oid);
                    }
                }
            }
        }
        return kept;
    }
}
