using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Git;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Reachability;

namespace StorageServer.Retention.Planning;

/// <summary>
/// Decides which of a repository's claims retention may reclaim, from its policies, the
/// reachability clock and the pointer index. A claim is a candidate only when nothing keeps it:
/// not a protected tip, not the upload grace, not an upload in progress, and for objects only
/// history references, no applicable history rule (keep N days after dereference, keep last N
/// versions). With no history rule at all, history is kept forever. Holds are applied by the caller.
/// </summary>
public sealed class RetentionPlanner(StorageDbContext db, RepositoryGraph graph, GitRepositoryLayout layout, TimeProvider clock)
{
    /// <summary>Plans with a full refresh's snapshot (<see cref="ReachabilityRefresher.RefreshAsync"/>): every row and every indexed pointer.</summary>
    public async Task<List<RetentionDecision>> PlanAsync(RepositorySnapshot snapshot, CancellationToken cancellationToken)
    {
        var repository = snapshot.Repository;
        var now = clock.GetUtcNow();
        var claims = await (
                from claim in db.RepoObjects
                join stored in db.Objects on claim.Oid equals stored.Oid
                where claim.RepositoryId == repository.Id && stored.State == ObjectState.Live
                select new { claim.Oid, claim.UploadedAt, stored.Size })
            .AsNoTracking().ToListAsync(cancellationToken);
        var uploading = (await db.Set<UploadLease>().AsNoTracking().Where(l => l.ExpiresAt > now).Select(l => l.Oid).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var pointers = snapshot.Indexed;
        var pathsByOid = pointers.GroupBy(p => p.Oid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Path).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var history = snapshot.Policies.History.Count == 0 ? null : await HistoryIndex.BuildAsync(graph, layout.PathOf(repository.Name), snapshot.Refs, pointers, cancellationToken);

        var decisions = new List<RetentionDecision>();
        foreach (var claim in claims)
        {
            snapshot.Rows.TryGetValue(claim.Oid, out var row);
            if (row?.ReferencedByTip == true || uploading.Contains(claim.Oid) || claim.UploadedAt + snapshot.Policies.OrphanGrace > now)
            {
                continue;
            }
            var paths = pathsByOid.GetValueOrDefault(claim.Oid) ?? [];
            if (row is null && paths.Count == 0)
            {
                decisions.Add(Decide(repository, claim.Oid, claim.Size, null, null, "orphan-grace",
                    $"no pushed commit references it; uploaded {claim.UploadedAt:u}, orphan grace {snapshot.Policies.OrphanGrace.TotalHours:0.#} h"));
                continue;
            }
            var reason = HistoryVerdict(snapshot, history, claim.Oid, paths, row, now);
            if (reason is not null)
            {
                decisions.Add(Decide(repository, claim.Oid, claim.Size, paths.FirstOrDefault() ?? row?.LastPath, row?.LastRef ?? history?.FirstRefContaining(claim.Oid), reason.Value.Policy, reason.Value.Text));
            }
        }
        return decisions;
    }

    /// <summary>Null when a rule keeps the object; otherwise the policies that let it go and why.</summary>
    private static (string Policy, string Text)? HistoryVerdict(
        RepositorySnapshot snapshot, HistoryIndex? history, string oid, List<string> paths, Entities.Reachability? row, DateTimeOffset now)
    {
        var refs = history?.RefsContaining(oid) ?? [];
        var rules = snapshot.Policies.History
            .Where(r => (paths.Count == 0 ? r.PathGlob is null : paths.Any(r.AppliesToPath)) && (r.RefGlob is null || refs.Any(r.AppliesToRef)))
            .ToList();
        if (rules.Count == 0)
        {
            return null;
        }
        var since = row?.UnreferencedSince ?? row?.FirstSeenAt ?? now;
        var why = new List<string> { $"no protected tip references it since {since:u}" };
        foreach (var rule in rules)
        {
            if (rule.Policy.KeepDaysAfterDereference is { } days)
            {
                if (since + TimeSpan.FromDays(days) > now)
                {
                    return null;
                }
                why.Add($"policy {rule.Policy.Id} keeps {days} d after dereference");
            }
            if (rule.Policy.KeepLastVersions is { } last)
            {
                if (history!.IsAmongLastVersions(rule, oid, last))
                {
                    return null;
                }
                why.Add($"policy {rule.Policy.Id}: not among the last {last} versions of its path");
            }
        }
        return (string.Join(",", rules.Select(r => $"policy:{r.Policy.Id}")), string.Join("; ", why));
    }

    private static RetentionDecision Decide(Repository repository, string oid, long size, string? path, string? lastRef, string policy, string reason) =>
        new(repository.Id, repository.Name, oid, size, path, lastRef, policy, reason, RetentionActions.Trash);
}
