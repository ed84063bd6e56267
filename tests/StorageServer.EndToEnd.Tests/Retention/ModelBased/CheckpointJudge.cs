using System.Globalization;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// Compares the server with the oracle after a mark or a sweep. Kept claims that were served must
/// still be served, byte for byte (a protected tip's always); kept objects keep their bytes; a
/// claim the oracle says nothing keeps must be trashed by the mark; an object whose every claim
/// was trashed longer than the trash window ago and that nothing keeps must be gone after the sweep,
/// answering 410 in every repository that claimed it (also one whose claim a sweep released earlier).
/// </summary>
public sealed class CheckpointJudge(ObjectPool pool, LfsProbe probe, ScenarioTally tally)
{
    private const double Margin = 2.0 / 24;

    /// <summary>Before a run: every protected tip's object must be served (pushes never lose data).</summary>
    public List<string> JudgeTips(string when, IEnumerable<ClaimView> claims) =>
        [.. claims.Where(c => c.Verdict.Reason == KeepReason.Tip && c.Before.Code is not (200 or 410))
            .Select(c => Problem(when, c, $"a protected tip holds it but the server answers {c.Before.Code}"))];

    public async Task<List<string>> JudgeAsync(
        string when, bool sweep, IReadOnlyList<ClaimView> claims, IReadOnlySet<string> stored, IReadOnlyDictionary<(int, string), double> trashedAt, double now)
    {
        var problems = new List<string>();
        foreach (var claim in claims.Where(c => c.Before.Code != 410))
        {
            var verdict = claim.Verdict;
            if (verdict.Kind == VerdictKind.Keep && (verdict.Reason == KeepReason.Tip || claim.Before.Code == 200))
            {
                tally.KeepChecks++;
                if (claim.After.Code != 200)
                {
                    problems.Add(Problem(when, claim, $"the server answers {claim.After.Code} (before the run: {claim.Before.Code})"));
                }
                else if (!(await probe.DownloadAsync(claim.After)).AsSpan().SequenceEqual(pool.Bytes(pool.IndexOf(claim.Oid))))
                {
                    problems.Add(Problem(when, claim, "the server serves other bytes"));
                }
            }
            else if (verdict.Kind == VerdictKind.Keep && !stored.Contains(claim.Oid))
            {
                problems.Add(Problem(when, claim, "its bytes are gone from the object store"));
            }
            else if (!sweep && verdict.Kind == VerdictKind.Delete)
            {
                tally.DeleteChecks++;
                if (claim.After.Code is not (404 or 410))
                {
                    problems.Add(Problem(when, claim, $"the mark left it served ({claim.After.Code}); nothing keeps it"));
                }
            }
            else if (verdict.Kind == VerdictKind.Unknown)
            {
                tally.Unknown++;
            }
        }
        if (sweep)
        {
            // A claim an earlier sweep released (410 before this one, the bytes kept for others then) is gone already.
            foreach (var group in claims.GroupBy(c => c.Oid).Where(g => g.Any(c => c.Before.Code == 404) && g.All(c => c.Verdict.Kind == VerdictKind.Delete
                && (c.Before.Code == 410 || (c.Before.Code == 404 && trashedAt.TryGetValue((c.Repo.Index, c.Oid), out var at) && at <= now - ScenarioGen.TrashWindowDays - Margin)))))
            {
                tally.SweepChecks++;
                if (stored.Contains(group.Key) || group.Any(c => c.After.Code != 410))
                {
                    problems.Add($"{when}: {pool.Name(group.Key)} ({group.Key}): every claim ({string.Join(", ", group.Select(c => c.Repo.Name))}) trashed "
                        + $"more than {ScenarioGen.TrashWindowDays} days ago and nothing keeps it, yet the sweep left it "
                        + $"(stored: {stored.Contains(group.Key)}, answers: {string.Join(", ", group.Select(c => c.After.Code))}); "
                        + string.Join("; ", group.Select(c => $"{c.Repo.Name}: {c.Verdict}")));
                }
            }
        }
        return problems;
    }

    private string Problem(string when, ClaimView claim, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{when}: {claim.Repo.Name} {pool.Name(claim.Oid)} ({claim.Oid}): oracle says {claim.Verdict}; {what}");
}
