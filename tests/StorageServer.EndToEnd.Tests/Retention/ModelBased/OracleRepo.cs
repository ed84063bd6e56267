namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// The oracle's record of one repository, rebuilt from git at every moment the server looks (after
/// each push, at each mark): its refs and their tip pointers, every commit ever reachable (the
/// server's pointer index covers commits a force-push or branch deletion left behind), the
/// dereference clock per object, and when its claims were made.
/// </summary>
public sealed class OracleRepo
{
    private static readonly string[] DefaultProtectedRefs = ["refs/heads/**", "refs/tags/**"];
    private readonly GitFacts _git;
    private readonly HashSet<string> _indexed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _historySets = [];

    public OracleRepo(int index, string bareRepository, IReadOnlyList<PolicySpec> policies, GitFacts git)
    {
        Index = index;
        Path = bareRepository;
        _git = git;
        var server = policies.Where(p => p.Repo is null && p.ProtectedRefs is not null).SelectMany(p => p.ProtectedRefs!).ToList();
        ProtectedGlobs = [.. server.Count > 0 ? server : [.. DefaultProtectedRefs], .. policies.Where(p => p.Repo == index && p.ProtectedRefs is not null).SelectMany(p => p.ProtectedRefs!)];
        HistoryRules = [.. policies.Where(p => (p.Repo is null || p.Repo == index) && p.IsHistoryRule)];
        var graces = policies.Where(p => (p.Repo is null || p.Repo == index) && p.GraceHours is not null).Select(p => p.GraceHours!.Value).ToList();
        GraceDays = (graces.Count > 0 ? graces.Max() : 24) / 24.0;
    }

    public int Index { get; }

    public string Name => ScenarioText.Repo(Index);

    public string Path { get; }

    public IReadOnlyList<string> ProtectedGlobs { get; }

    public IReadOnlyList<PolicySpec> HistoryRules { get; }

    public double GraceDays { get; }

    public IReadOnlyList<PeeledRef> Refs { get; private set; } = [];

    /// <summary>Per ref, the pointers at its tip: path → oid (a ref at a blob has the single path "(blob)").</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> TipPointers { get; private set; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Objects this repository uploaded at some time (claims, live or not), by oid.</summary>
    public Dictionary<string, ClaimFacts> Claims { get; } = new(StringComparer.Ordinal);

    /// <summary>The dereference clock D(R, O) of the spec, by oid.</summary>
    public Dictionary<string, DereferenceClock> Clocks { get; } = new(StringComparer.Ordinal);

    public bool IsProtected(string refName) => ProtectedGlobs.Any(g => OracleGlob.MatchesRef(g, refName));

    /// <summary>Reads the repository again at time <paramref name="now"/> (days), as the server does after a push and at a mark.</summary>
    public void Observe(double now, bool pushed)
    {
        var before = Refs.ToDictionary(r => r.Name, r => r.Sha, StringComparer.Ordinal);
        Refs = _git.Refs(Path);
        TipPointers = Refs.ToDictionary(r => r.Name, Tip, StringComparer.Ordinal);
        foreach (var commitRef in Refs.Where(r => r.Type == "commit"))
        {
            _indexed.UnionWith(_git.History(Path, commitRef.Sha));
        }
        var protectedTips = Refs.Where(r => IsProtected(r.Name)).SelectMany(r => TipPointers[r.Name].Values).ToHashSet(StringComparer.Ordinal);
        foreach (var (oid, clock) in Clocks.Where(c => c.Value.InTip && !protectedTips.Contains(c.Key)))
        {
            clock.InTip = false;
            clock.LastDereference = now;
        }
        foreach (var oid in protectedTips)
        {
            var clock = ClockOf(oid);
            clock.InTip = clock.EverTip = true;
        }
        foreach (var oid in _indexed.SelectMany(c => _git.PointersIn(Path, c).Values))
        {
            ClockOf(oid).FirstSeen ??= now;
        }
        if (pushed)
        {
            // A push uploads what the refs it moved hold (git-lfs re-sends anything the server lacks);
            // that may make a fresh claim, so the claim is at most this young.
            foreach (var moved in Refs.Where(r => before.GetValueOrDefault(r.Name) != r.Sha))
            {
                var touched = TipPointers[moved.Name].Values.Concat(moved.Type == "commit"
                    ? _git.History(Path, moved.Sha).SelectMany(c => _git.PointersIn(Path, c).Values)
                    : []);
                foreach (var oid in touched.Distinct(StringComparer.Ordinal))
                {
                    Touch(oid, now);
                }
            }
        }
    }

    /// <summary>Records an upload of <paramref name="oid"/> at <paramref name="now"/>.</summary>
    public void Touch(string oid, double now)
    {
        if (Claims.TryGetValue(oid, out var claim))
        {
            claim.LastTouch = now;
        }
        else
        {
            Claims[oid] = new ClaimFacts { FirstUpload = now, LastTouch = now };
        }
    }

    /// <summary>Every (commit, path) of the index whose tree has a pointer to <paramref name="oid"/>.</summary>
    public IEnumerable<(string Commit, string Path)> Occurrences(string oid) =>
        _indexed.Order(StringComparer.Ordinal).SelectMany(c => _git.PointersIn(Path, c).Where(p => p.Value == oid).Select(p => (c, p.Key)));

    /// <summary>The refs whose history contains <paramref name="commit"/> (refs at trees and blobs have none).</summary>
    public IEnumerable<PeeledRef> RefsContaining(string commit) =>
        Refs.Where(r => r.Type == "commit" && HistorySet(r.Sha).Contains(commit));

    /// <summary><c>git rev-list --topo-order</c> of a ref's commit.</summary>
    public IReadOnlyList<string> History(PeeledRef commitRef) => _git.History(Path, commitRef.Sha);

    public IReadOnlyDictionary<string, string> PointersIn(string commit) => _git.PointersIn(Path, commit);

    private HashSet<string> HistorySet(string commit)
    {
        if (!_historySets.TryGetValue(commit, out var set))
        {
            set = _git.History(Path, commit).ToHashSet(StringComparer.Ordinal);
            _historySets[commit] = set;
        }
        return set;
    }

    private IReadOnlyDictionary<string, string> Tip(PeeledRef peeled) => peeled.Type switch
    {
        "commit" or "tree" => _git.PointersIn(Path, peeled.Sha),
        "blob" when _git.PointerOid(Path, peeled.Sha, peeled.Size) is { } oid => new Dictionary<string, string> { ["(blob)"] = oid },
        _ => new Dictionary<string, string>(),
    };

    private DereferenceClock ClockOf(string oid)
    {
        if (!Clocks.TryGetValue(oid, out var clock))
        {
            clock = new DereferenceClock();
            Clocks[oid] = clock;
        }
        return clock;
    }
}
