using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Jobs;

/// <summary>
/// Rebuilds from <c>job_runs</c> what Quartz's in-memory store (one node, SQLite) loses at a restart
/// and its persistent store kept: a schedule tick missed while the server was down (run once now,
/// Quartz's misfire policy for cron triggers), and runs queued but not started (queued again).
/// </summary>
public sealed class InMemoryStoreRestorer(
    StorageDbContext db, IEnumerable<JobDefinition> definitions, IOptions<JobsOptions> options, ISchedulerFactory schedulers,
    JobLauncher launcher, JobRunRecorder recorder, TimeProvider clock, ILogger<InMemoryStoreRestorer> logger)
{
    /// <summary>
    /// Fires once now every scheduled job whose cron had a tick between its last scheduled run and
    /// now. The run is a scheduled one (its tick is the firing's time), as the persistent store's
    /// misfire handling ("fire once now") made it. A job that has never run on schedule is left to
    /// its next tick: a new trigger in the persistent store did not fire for ticks before it existed.
    /// </summary>
    public async Task<int> CatchUpMissedFiringsAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var fired = 0;
        foreach (var (job, cron) in options.Value.Schedules)
        {
            var definition = definitions.First(d => string.Equals(d.Name, job, StringComparison.OrdinalIgnoreCase));
            // By id, not by tick: SQLite cannot order DateTimeOffset columns, and one node records its ticks in order.
            var last = await db.JobRuns.AsNoTracking()
                .Where(r => r.Job == definition.Name && r.Trigger == JobRunTrigger.Schedule && r.ScheduledFor != null)
                .OrderByDescending(r => r.Id)
                .Select(r => r.ScheduledFor)
                .FirstOrDefaultAsync(cancellationToken);
            var missed = last is null ? null : new CronExpression(cron, TimeZoneInfo.Utc).GetNextValidTimeAfter(last.Value);
            if (missed is null || missed >= clock.GetUtcNow())
            {
                continue;
            }
            await scheduler.TriggerJob(definition.Key, cancellationToken);
            logger.LogInformation("Job {Job} missed its firing at {Missed:O} while the server was down; running it now", definition.Name, missed);
            fired++;
        }
        return fired;
    }

    /// <summary>Fires every run still queued (its firing was in the last process's memory) once more.</summary>
    public async Task<int> RequeueQueuedRunsAsync(CancellationToken cancellationToken)
    {
        var queued = await db.JobRuns.AsNoTracking().Where(r => r.State == JobRunState.Queued).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var requeued = 0;
        foreach (var run in queued)
        {
            var definition = definitions.FirstOrDefault(d => d.Name == run.Job);
            if (definition is null)
            {
                await recorder.TryEndQueuedAsync(run.Id, JobRunState.Failed, $"No job '{run.Job}' on this server any more.", cancellationToken);
                logger.LogWarning("Job {Job} run {JobRunId} was queued, but no such job exists any more; marked failed", run.Job, run.Id);
                continue;
            }
            await launcher.FireAsync(definition, run.Id, run.ParametersJson, cancellationToken);
            logger.LogInformation("Job {Job} run {JobRunId} was queued before the restart; queued again", run.Job, run.Id);
            requeued++;
        }
        return requeued;
    }
}
