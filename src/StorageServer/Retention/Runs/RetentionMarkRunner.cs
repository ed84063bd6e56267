using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;
using StorageServer.Retention.Reachability;
using StorageServer.Retention.Trash;

namespace StorageServer.Retention.Runs;

/// <summary>
/// A mark: refresh reachability, enforce maximum ages (server commits), plan (every claim put to
/// <see cref="Keeping.ObjectKeepRules"/>: candidates, held ones, and the rest counted by reason), write
/// the report with its summary, and (unless dry) move the candidates to the trash. A dry run is the
/// same code path stopping before any write but its own run row and report.
/// </summary>
public sealed class RetentionMarkRunner(
    StorageDbContext db, ReachabilityRefresher refresher, RetentionPlanner planner, MaxAgeEnforcer maxAge,
    TrashService trash, RetentionReportWriter reports, RetentionRunStore runs, ILogger<RetentionMarkRunner> logger)
{
    private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    public async Task<RetentionRun> RunAsync(string? repositoryName, bool dryRun, string? requestedBy, long? jobRunId, Func<long, long, string, Task>? progress, CancellationToken cancellationToken)
    {
        var repositories = await db.Repositories.AsNoTracking()
            .Where(r => repositoryName == null || r.Name == repositoryName).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        if (repositoryName is not null && repositories.Count == 0)
        {
            throw new RetentionRequestException($"Repository '{repositoryName}' not found.");
        }
        var run = await runs.StartAsync(RetentionRunKind.Mark, dryRun, repositoryName, requestedBy, jobRunId, cancellationToken);
        try
        {
            var items = new List<RetentionDecision>();
            var plans = new List<RetentionPlan>();
            for (var i = 0; i < repositories.Count; i++)
            {
                var snapshot = await refresher.RefreshAsync(repositories[i], cancellationToken);
                var expired = await maxAge.EnforceAsync(snapshot, run.Id, dryRun, cancellationToken);
                items.AddRange(expired);
                if (!dryRun && expired.Count > 0)
                {
                    snapshot = await refresher.RefreshAsync(repositories[i], cancellationToken);
                }
                var plan = await planner.PlanAsync(snapshot, cancellationToken);
                plans.Add(plan);
                items.AddRange(plan.Items);
                if (progress is not null)
                {
                    await progress(i + 1, repositories.Count, repositories[i].Name);
                }
            }
            if (dryRun)
            {
                items = items.Select(d => d.Action == RetentionActions.Trash ? d with { Action = RetentionActions.WouldTrash } : d).ToList();
            }
            var toTrash = items.Where(d => d.Action is RetentionActions.Trash or RetentionActions.WouldTrash).ToList();
            run.Candidates = toTrash.Count;
            run.CandidateBytes = toTrash.Sum(d => d.Size);
            run.Held = items.Count(d => d.Action == RetentionActions.Held);
            run.FilesExpired = items.Count(d => d.Action is RetentionActions.RemoveFromTip or RetentionActions.WouldRemoveFromTip);
            run.Summary = JsonSerializer.Serialize(RunSummary.ForMark(plans, run.Candidates), SummaryJson);
            if (!dryRun)
            {
                var trashed = await trash.TrashAsync(run.Id, toTrash.Select(d => new TrashCandidate(d.RepositoryId, d.Oid, d.Size, d.Path)).ToList(), cancellationToken);
                await RecheckTipsAsync(repositories, trashed, cancellationToken);
                var stillTrashed = await db.Set<TrashEntry>().AsNoTracking()
                    .Where(t => t.RunId == run.Id && t.State == TrashState.Trashed).Select(t => new { t.RepositoryId, t.Oid, t.Size }).ToListAsync(cancellationToken);
                run.Trashed = stillTrashed.Count;
                run.TrashedBytes = stillTrashed.Sum(t => t.Size);
                var inTrash = stillTrashed.Select(t => (t.RepositoryId, t.Oid)).ToHashSet();
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i].Action == RetentionActions.Trash && !inTrash.Contains((items[i].RepositoryId, items[i].Oid)))
                    {
                        items[i] = items[i] with { Action = RetentionActions.Kept, Reason = $"{items[i].Reason}; kept: a protected ref or an upload needed it again while the run trashed it" };
                    }
                }
            }
            runs.MarkFinished(run, null);
            await reports.WriteAsync(run, items, cancellationToken);
            await runs.SaveAsync(run, cancellationToken);
            logger.LogInformation("Retention mark {RunId} (dry run: {DryRun}): {Candidates} candidates ({Bytes} bytes), {Trashed} trashed, {Held} held, {Expired} files expired",
                run.Id, dryRun, run.Candidates, run.CandidateBytes, run.Trashed, run.Held, run.FilesExpired);
            return run;
        }
        catch (Exception e)
        {
            await runs.FinishAsync(run, e is OperationCanceledException ? "cancelled" : e.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// A push can land between the plan and the trash, and its listener (here or on another node)
    /// can look for trashed claims to revive before ours are committed. Reading the refs again now,
    /// after the commit, closes that window: either this read sees the push's ref, or the push's
    /// listener starts after it and sees our trash. Without it, a tip's object would answer 404
    /// until the next push, restore or sweep.
    /// </summary>
    private async Task RecheckTipsAsync(IReadOnlyList<Repository> repositories, IReadOnlyList<TrashEntry> trashed, CancellationToken cancellationToken)
    {
        var touched = trashed.Select(t => t.RepositoryId).ToHashSet();
        foreach (var repository in repositories.Where(r => touched.Contains(r.Id)))
        {
            await refresher.RefreshAfterPushAsync(repository, cancellationToken);
        }
    }
}

/// <summary>A run asked for something that cannot be done (unknown repository…): a 400 or a failed job, with this message.</summary>
public sealed class RetentionRequestException(string message) : Exception(message);
