using System.Text;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Dvc.TipEdits;
using StorageServer.Git;
using StorageServer.Git.Refs;
using StorageServer.Holds;
using StorageServer.Retention.Reachability;

namespace StorageServer.Retention.Planning;

/// <summary>
/// Maximum age for a path glob (storage limitation): files at a branch tip whose object the
/// server has known for longer than the policy allows are removed by a commit the server makes
/// (reviewable in history, message naming the policy and run); normal reclaim then follows the
/// dereference clock. Age is server-observed (the repository's claim or first sighting), never
/// the client-supplied commit date. Held objects are left in place; tags are never rewritten.
/// </summary>
public sealed class MaxAgeEnforcer(
    StorageDbContext db, RefReader refReader, RepositoryGraph graph, GitRepositoryLayout layout, IServiceProvider services, LegalHoldQuery holds,
    TimeProvider clock, ILogger<MaxAgeEnforcer> logger)
{
    private const int Attempts = 3;

    public async Task<List<RetentionDecision>> EnforceAsync(RepositorySnapshot snapshot, long runId, bool dryRun, CancellationToken cancellationToken)
    {
        var decisions = new List<RetentionDecision>();
        if (snapshot.Policies.MaxAge.Count == 0)
        {
            return decisions;
        }
        var repository = snapshot.Repository;
        var gitDir = layout.PathOf(repository.Name);
        var claimedAt = await db.RepoObjects.AsNoTracking().Where(c => c.RepositoryId == repository.Id)
            .ToDictionaryAsync(c => c.Oid, c => c.UploadedAt, StringComparer.Ordinal, cancellationToken);
        // Every branch, at any depth (refs/heads/feature/x too); tags are never rewritten.
        foreach (var branch in snapshot.Refs.Where(r => r.IsCommit && r.Name.StartsWith("refs/heads/", StringComparison.Ordinal)))
        {
            var rules = snapshot.Policies.MaxAge.Where(r => r.AppliesToRef(branch.Name)).ToList();
            if (rules.Count == 0)
            {
                continue;
            }
            var tip = branch.Target;
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                var pointers = (await graph.ReadTipPointersAsync(repository.Id, gitDir, [tip], cancellationToken))[tip];
                var expired = await ExpiredAsync(snapshot, rules, pointers, claimedAt, cancellationToken);
                if (expired.Count == 0)
                {
                    break;
                }
                var action = dryRun ? RetentionActions.WouldRemoveFromTip : RetentionActions.RemoveFromTip;
                if (dryRun)
                {
                    decisions.AddRange(expired.Select(e => e.Decision with { Action = action }));
                    break;
                }
                var message = Message(branch.Name, runId, expired);
                var commits = services.GetRequiredService<ServerCommits>();
                // An LFS pointer is removed by deleting its path; a DVC-tracked file by editing its .dvc file or dvc.lock entry.
                var edits = expired.Where(e => !e.Dvc).Select(e => new TreeEdit(e.Decision.Path!, null)).ToList();
                var dvcOids = expired.Where(e => e.Dvc).Select(e => e.Decision.Oid).ToHashSet(StringComparer.Ordinal);
                if (dvcOids.Count > 0)
                {
                    edits.AddRange(await services.GetRequiredService<DvcTipEditor>().EditsAsync(
                        repository, gitDir, tip, dvcOids, (_, _) => Task.FromResult<DvcReplacement?>(null), "retention", cancellationToken));
                }
                var result = await commits.CommitAsync(repository, branch.Name, tip, edits, message, cancellationToken);
                if (result.Committed)
                {
                    decisions.AddRange(expired.Select(e => e.Decision with { Action = action, Reason = $"{e.Decision.Reason}; removed by server commit {result.CommitSha}" }));
                    break;
                }
                // A push moved the branch meanwhile: start again from its new tip.
                var refs = await refReader.ReadAsync(gitDir, cancellationToken);
                var moved = refs.FirstOrDefault(r => r.Name == branch.Name && r.IsCommit);
                if (moved is null)
                {
                    break;
                }
                tip = moved.Target;
                logger.LogInformation("Max-age commit on {Repository} {Ref} lost a race (attempt {Attempt}); retrying from {Tip}", repository.Name, branch.Name, attempt, tip);
            }
        }
        return decisions;
    }

    private async Task<List<(RetentionDecision Decision, HistoryRule Rule, bool Dvc)>> ExpiredAsync(
        RepositorySnapshot snapshot, List<HistoryRule> rules, IReadOnlyList<TipPointer> pointers, Dictionary<string, DateTimeOffset> claimedAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = new List<(RetentionDecision, HistoryRule, bool)>();
        foreach (var pointer in pointers)
        {
            var rule = rules.FirstOrDefault(r => r.AppliesToPath(pointer.Path));
            if (rule is null)
            {
                continue;
            }
            var known = new[] { claimedAt.TryGetValue(pointer.Oid, out var c) ? c : (DateTimeOffset?)null, snapshot.Rows.GetValueOrDefault(pointer.Oid)?.FirstSeenAt }
                .Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(now).Min();
            var maxAge = TimeSpan.FromDays(rule.Policy.MaxAgeDays!.Value);
            if (now - known > maxAge)
            {
                expired.Add((new RetentionDecision(snapshot.Repository.Id, snapshot.Repository.Name, pointer.Oid, pointer.Size, pointer.Path, null,
                    $"policy:{rule.Policy.Id}", $"stored since {known:u}, older than the maximum age of {rule.Policy.MaxAgeDays} d", RetentionActions.RemoveFromTip), rule, pointer.Dvc is not null));
            }
        }
        var held = await holds.FindHeldAsync(expired.Select(e => e.Item1.Oid).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        return expired.Where(e => !held.ContainsKey(e.Item1.Oid)).ToList();
    }

    private static string Message(string branch, long runId, List<(RetentionDecision Decision, HistoryRule Rule, bool Dvc)> expired)
    {
        var text = new StringBuilder();
        var policies = string.Join(", ", expired.Select(e => e.Rule.Policy).DistinctBy(p => p.Id).Select(p => $"#{p.Id} \"{p.Name}\""));
        text.Append($"Retention: remove {expired.Count} file(s) past their maximum age from {branch}\n\n");
        text.Append($"Policy {policies}, retention run {runId}.\n\n");
        foreach (var (decision, rule, _) in expired)
        {
            text.Append($"  {decision.Path} (policy #{rule.Policy.Id}, max age {rule.Policy.MaxAgeDays} d)\n");
        }
        return text.ToString();
    }
}
