using Microsoft.EntityFrameworkCore;
using Quartz;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Data.Migrations.Quartz;

namespace StorageServer.Jobs;

/// <summary>
/// Ends runs left <c>running</c> by a node that stopped without recording an outcome (a crash, a
/// kill). Quartz keeps a firing from before a job starts until after it has recorded its outcome:
/// the persistent (clustered) store as a row in <c>qrtz_fired_triggers</c>, whose rows of a dead node
/// it removes when it recovers the node; the in-memory store (one node) among its executing jobs,
/// which a restart empties. A running run whose firing is in neither can therefore never finish.
/// </summary>
public sealed class JobRunJanitor(StorageDbContext db, ISchedulerFactory schedulers, TimeProvider clock, ILogger<JobRunJanitor> logger)
{
    public async Task<int> EndLostRunsAsync(CancellationToken cancellationToken)
    {
        var running = await db.JobRuns.AsNoTracking().Where(r => r.State == JobRunState.Running).ToListAsync(cancellationToken);
        if (running.Count == 0)
        {
            return 0;
        }
        var firing = await LiveFiringsAsync(cancellationToken);
        var ended = 0;
        foreach (var run in running.Where(r => r.FireInstanceId is null || !firing.Contains(r.FireInstanceId)))
        {
            var now = clock.GetUtcNow();
            var error = $"Lost: node {run.Node} stopped while it ran, without recording an outcome.";
            ended += await db.JobRuns.Where(r => r.Id == run.Id && r.State == JobRunState.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, JobRunState.Failed)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, error), cancellationToken);
            logger.LogWarning("Job {Job} run {JobRunId} was lost with node {Node}; marked failed", run.Job, run.Id, run.Node);
        }
        return ended;
    }

    private async Task<HashSet<string>> LiveFiringsAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (!(await scheduler.GetMetadata(cancellationToken)).JobStorePersistent)
        {
            var live = new HashSet<string>(StringComparer.Ordinal);
            for (var more = true; more;)
            {
                // State null: reserved firings as well as running ones.
                var page = await scheduler.QueryFireInstances(new FireInstanceQuery { State = null, Skip = live.Count }, cancellationToken);
                live.UnionWith(page.Items.Select(f => f.FireInstanceId));
                more = page.HasMore && page.Items.Count > 0;
            }
            return live;
        }
        return (await db.Database
            .SqlQueryRaw<string>($"SELECT ENTRY_ID AS \"Value\" FROM {QuartzSchemaScript.TablePrefix}fired_triggers")
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }
}
