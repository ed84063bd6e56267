using StorageServer.Retention.Keeping;
using StorageServer.Retention.Planning;

namespace StorageServer.Retention.Runs;

/// <summary>
/// Why a run found what it found: how many claims (or leftovers) it examined, how many each reason
/// kept (so a run that reclaims nothing says why not), how many it would reclaim, and, for a mark,
/// the refs that protect nothing (the first <see cref="MaxRefsListed"/>). Shown in the run's totals
/// and at the top of a mark's <c>report.json</c>.
/// </summary>
public sealed record RunSummary(long Claims, long Candidates, IReadOnlyDictionary<string, long> Kept, IReadOnlyList<UnprotectedRef> UnprotectedRefs, IReadOnlyList<string> Explanation)
{
    public const int MaxRefsListed = 20;

    private static readonly string[] ReasonOrder =
    [
        KeepReasons.ProtectedTip, KeepReasons.HistoryWithoutRule, KeepReasons.HistoryPolicy, KeepReasons.OrphanGrace, KeepReasons.Uploading, KeepReasons.Held,
    ];

    public static RunSummary ForMark(IReadOnlyList<RetentionPlan> plans, long candidates)
    {
        var claims = plans.Sum(p => p.Claims);
        var kept = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in plans.SelectMany(p => p.Kept))
        {
            kept[reason] = kept.GetValueOrDefault(reason) + count;
        }
        var unprotected = plans.SelectMany(p => p.UnprotectedRefs.Select(r => new UnprotectedRef(p.Repository.Name, r))).ToList();
        var explanation = new List<string>
        {
            candidates == 0 ? $"nothing to reclaim: all {claims} claims examined are kept" : $"{candidates} of {claims} claims examined can be reclaimed",
        };
        explanation.AddRange(ReasonOrder.Where(kept.ContainsKey).Select(r => KeepReasons.Describe(r, kept[r])));
        explanation.AddRange(unprotected.Take(MaxRefsListed).Select(r => $"ref {r.Ref} of {r.Repository} is not protected"));
        if (unprotected.Count > MaxRefsListed)
        {
            explanation.Add($"… and {unprotected.Count - MaxRefsListed} more refs that are not protected");
        }
        return new RunSummary(claims, candidates, kept, unprotected.Take(MaxRefsListed).ToList(), explanation);
    }
}
