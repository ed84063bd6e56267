using System.Globalization;
using StorageServer.Holds;

namespace StorageServer.Retention.Keeping;

/// <summary>
/// The one definition of what keeps a repository's claim on an object (docs: the README's retention
/// section). The mark trashes a claim only when nothing keeps it; the sweep asks again, with state
/// read at that moment, before any byte is deleted. In order:
/// <list type="number">
/// <item>a protected ref has the object among its tip pointers;</item>
/// <item>an upload of it is running, or the claim is younger than the orphan grace;</item>
/// <item>history: some covering pair (ref or "no ref", commit, path) of an occurrence is not released,
/// that is, no history rule applies to it or one that applies does not let it go;</item>
/// <item>a legal hold covers it.</item>
/// </list>
/// An object with no occurrence and no protected tip is an orphan: only the grace kept it.
/// Most protective wins: a single unreleased occurrence keeps the claim.
/// </summary>
public static class ObjectKeepRules
{
    public static KeepVerdict Decide(RepositoryKeepState state, string oid, DateTimeOffset uploadedAt, bool leased, HoldMatch? hold, DateTimeOffset now)
    {
        var verdict = DecideWithoutHolds(state, oid, uploadedAt, leased, now);
        return verdict.Keep || hold is null
            ? verdict
            : new KeepVerdict(true, KeepReasons.Held, $"legal hold {hold.HoldId} ({hold.CaseReference}); otherwise: {verdict.Detail}", $"hold:{hold.HoldId}", verdict.Path, verdict.Ref);
    }

    private static KeepVerdict DecideWithoutHolds(RepositoryKeepState state, string oid, DateTimeOffset uploadedAt, bool leased, DateTimeOffset now)
    {
        if (state.ProtectedTips.TryGetValue(oid, out var tip))
        {
            return new KeepVerdict(true, KeepReasons.ProtectedTip, $"at the tip of protected ref {tip.Ref}{At(tip.Path)}", null, tip.Path, tip.Ref);
        }
        if (leased)
        {
            return new KeepVerdict(true, KeepReasons.Uploading, "an upload of it is running");
        }
        var grace = state.Policies.OrphanGrace;
        if (uploadedAt + grace > now)
        {
            return new KeepVerdict(true, KeepReasons.OrphanGrace, $"uploaded {uploadedAt:u}, younger than the orphan grace of {Hours(grace)}");
        }
        var pairs = CoveringPairs.Of(state, oid);
        if (pairs.Count == 0)
        {
            return new KeepVerdict(false, KeepReasons.Orphan, $"no pushed commit references it; uploaded {uploadedAt:u}, orphan grace {Hours(grace)}", "orphan-grace");
        }
        var since = state.DereferencedAt(oid, now);
        var why = new List<string>();
        var deciding = new SortedSet<long>();
        foreach (var pair in pairs)
        {
            var where = $"{pair.Path} on {CoveringPairs.Describe(state, pair.Ref)}";
            var rules = state.Policies.History.Where(r => r.AppliesTo(pair.Ref, pair.Path)).ToList();
            if (rules.Count == 0)
            {
                return new KeepVerdict(true, KeepReasons.HistoryWithoutRule, $"{where}: no history rule applies, so history keeps it", null, pair.Path, pair.Ref);
            }
            foreach (var rule in rules)
            {
                var policy = rule.Policy;
                deciding.Add(policy.Id);
                if (policy.KeepDaysAfterDereference is { } days && since + TimeSpan.FromDays(days) > now)
                {
                    return new KeepVerdict(true, KeepReasons.HistoryPolicy,
                        $"{where}: policy {policy.Id} keeps it {days} d after dereference ({since:u}), until {since + TimeSpan.FromDays(days):u}", $"policy:{policy.Id}", pair.Path, pair.Ref);
                }
                if (policy.KeepLastVersions is { } last && pair.Ref is not null && IsAmongLast(state, pair.Ref, pair.Path, oid, last))
                {
                    return new KeepVerdict(true, KeepReasons.HistoryPolicy,
                        $"{where}: policy {policy.Id} keeps the last {last} versions and this is one of them", $"policy:{policy.Id}", pair.Path, pair.Ref);
                }
            }
            if (why.Count < 3)
            {
                why.Add(where);
            }
        }
        var more = pairs.Count > why.Count ? $" and {pairs.Count - why.Count} more" : string.Empty;
        return new KeepVerdict(false, KeepReasons.HistoryReleased,
            $"every occurrence is released ({string.Join("; ", why)}{more}) by policy {string.Join(", ", deciding)}; no protected tip has had it since {since:u}",
            string.Join(',', deciding.Select(id => $"policy:{id}")), pairs[0].Path, pairs[0].Ref);
    }

    private static bool IsAmongLast(RepositoryKeepState state, string reference, string path, string oid, int last) =>
        state.LastVersions.TryGetValue(reference, out var paths) && paths.TryGetValue(path, out var versions)
        && versions.Take(last).Contains(oid, StringComparer.Ordinal);

    private static string At(string path) => path.Length == 0 ? " (the ref names the pointer itself)" : $" ({path})";

    private static string Hours(TimeSpan grace) => string.Create(CultureInfo.InvariantCulture, $"{grace.TotalHours:0.#} h");
}
