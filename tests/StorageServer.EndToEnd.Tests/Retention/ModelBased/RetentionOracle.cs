using System.Globalization;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// "What keeps an object" (retention-semantics.md) computed from git and the policies alone: rules
/// 1–5 in order, the most protective outcome per object, every occurrence considered. It never
/// calls server code; its inputs are <see cref="OracleRepo"/>s read with git and the holds the
/// scenario placed.
/// </summary>
public sealed class RetentionOracle(IReadOnlyList<OracleRepo> repos, ObjectPool pool)
{
    /// <summary>Decisions this close to a time boundary (days) are left open: the test clock and the server's are not the same instant.</summary>
    private const double Margin = 2.0 / 24;

    public Verdict Evaluate(OracleRepo repo, string oid, double now, IReadOnlyCollection<HoldOp> holds)
    {
        var tip = repo.Refs.Where(r => repo.IsProtected(r.Name))
            .SelectMany(r => repo.TipPointers[r.Name].Where(p => p.Value == oid).Select(p => $"{r.Name} at {p.Key}")).FirstOrDefault();
        if (tip is not null)
        {
            return new Verdict(VerdictKind.Keep, KeepReason.Tip, $"tip of protected {tip}");
        }
        if (holds.FirstOrDefault(h => Covers(h, oid)) is { } hold)
        {
            return new Verdict(VerdictKind.Keep, KeepReason.Hold, ScenarioText.Hold(hold));
        }
        var claim = repo.Claims[oid];
        var grace = $"orphan grace {Day(repo.GraceDays)} d, uploaded between day {Day(claim.FirstUpload)} and {Day(claim.LastTouch)}";
        if (now - claim.FirstUpload < repo.GraceDays - Margin)
        {
            return new Verdict(VerdictKind.Keep, KeepReason.Grace, grace);
        }
        var graceSure = now - claim.LastTouch >= repo.GraceDays + Margin;
        var (history, why) = History(repo, oid, now);
        if (history == VerdictKind.Keep)
        {
            return new Verdict(VerdictKind.Keep, KeepReason.History, why);
        }
        return history == VerdictKind.Unknown || !graceSure
            ? new Verdict(VerdictKind.Unknown, KeepReason.None, graceSure ? why : grace + "; " + why)
            : new Verdict(VerdictKind.Delete, KeepReason.None, why);
    }

    /// <summary>Rule 2: whether an active hold covers the object.</summary>
    public bool Covers(HoldOp hold, string oid) => hold switch
    {
        HoldOid h => pool.Oids[h.Object] == oid,
        HoldRepo h => repos[h.Repo].Claims.ContainsKey(oid) || repos[h.Repo].Occurrences(oid).Any(),
        HoldPath h => repos.Where(r => h.Repo is null || r.Index == h.Repo).Any(r => r.Occurrences(oid).Any(o => OracleGlob.MatchesPath(h.Glob, o.Path))),
        _ => false,
    };

    /// <summary>Rules 4 and 5: Keep when some covering pair is not released, Delete when all are (or there is none).</summary>
    private static (VerdictKind, string) History(OracleRepo repo, string oid, double now)
    {
        var occurrences = repo.Occurrences(oid).ToList();
        if (occurrences.Count == 0)
        {
            return (VerdictKind.Delete, "orphan: no indexed commit has it and no protected tip");
        }
        string? unsure = null;
        var released = new List<string>();
        foreach (var (commit, path) in occurrences)
        {
            var refs = repo.RefsContaining(commit).ToList();
            foreach (var r in refs.Count > 0 ? refs.Cast<PeeledRef?>() : [null])
            {
                var pair = $"({r?.Name ?? "no ref"}, {commit[..8]}, {path})";
                var rules = repo.HistoryRules.Where(rule =>
                    (rule.PathGlob is null || OracleGlob.MatchesPath(rule.PathGlob, path)) &&
                    (rule.RefGlob is null || (r is not null && OracleGlob.MatchesRef(rule.RefGlob, r.Name)))).ToList();
                if (rules.Count == 0)
                {
                    return (VerdictKind.Keep, $"{pair}: no history rule applies, history is kept");
                }
                foreach (var rule in rules)
                {
                    if (rule.KeepDays is { } days)
                    {
                        var since = repo.Clocks[oid].Since;
                        var due = since + days;
                        if (due is null || Math.Abs(now - due.Value) < Margin)
                        {
                            unsure ??= $"{pair}: [{ScenarioText.Policy(rule)}] due at day {Day(due)}, too close to now";
                        }
                        else if (now < due)
                        {
                            return (VerdictKind.Keep, $"{pair}: [{ScenarioText.Policy(rule)}] keeps it until day {Day(due)} (dereferenced day {Day(since)})");
                        }
                    }
                    if (rule.KeepLast is { } last && r is not null && LastVersions(repo, r, path, last).Contains(oid))
                    {
                        return (VerdictKind.Keep, $"{pair}: [{ScenarioText.Policy(rule)}] among the last {last} versions of {path} on {r.Name}");
                    }
                }
                released.Add($"{pair} by {string.Join(" and ", rules.Select(ScenarioText.Policy))}");
            }
        }
        return unsure is not null
            ? (VerdictKind.Unknown, unsure)
            : (VerdictKind.Delete, $"every covering pair released: {string.Join("; ", released)}; dereferenced day {Day(repo.Clocks[oid].Since)}");
    }

    /// <summary>The first <paramref name="count"/> distinct oids at <paramref name="path"/> walking <c>git rev-list --topo-order</c> of the ref.</summary>
    private static HashSet<string> LastVersions(OracleRepo repo, PeeledRef commitRef, string path, int count)
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in repo.History(commitRef))
        {
            if (repo.PointersIn(commit).TryGetValue(path, out var oid) && versions.Add(oid) && versions.Count == count)
            {
                break;
            }
        }
        return versions;
    }

    private static string Day(double? day) => day?.ToString("0.##", CultureInfo.InvariantCulture) ?? "?";
}
