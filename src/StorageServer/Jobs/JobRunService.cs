using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Jobs;

/// <summary>Outcome of a job command: the run, or why nothing changed.</summary>
public sealed record JobCommandResult(JobRun? Run, string? Error, bool NotFound = false);

/// <summary>
/// Jobs and their runs for the admin API and the console: list, queue a run (audited
/// <c>job.run</c>), list runs, cancel (audited <c>job.cancel</c>).
/// </summary>
public sealed class JobRunService(
    StorageDbContext db, IEnumerable<JobDefinition> definitions, ISchedulerFactory schedulers, IOptions<JobsOptions> options, JobLauncher launcher, AuditLog audit)
{
    public const int MaxLimit = 500;

    public async Task<List<JobResponse>> ListJobsAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var jobs = new List<JobResponse>();
        foreach (var definition in definitions.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var trigger = await scheduler.GetTrigger(JobScheduleRegistrar.ScheduleTriggerKey(definition.Name), cancellationToken);
            options.Value.Schedules.TryGetValue(definition.Name, out var cron);
            jobs.Add(new JobResponse(definition.Name, definition.Description, cron, trigger?.NextFireTimeUtc));
        }
        return jobs;
    }

    public async Task<JobCommandResult> RunAsync(string name, string? parametersJson, string actor, CancellationToken cancellationToken)
    {
        var definition = definitions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
        if (definition is null)
        {
            return new JobCommandResult(null, $"No job '{name}'. Known jobs: {string.Join(", ", definitions.Select(d => d.Name).Order())}.", NotFound: true);
        }
        var run = await launcher.EnqueueAsync(definition, actor, parametersJson, cancellationToken);
        await audit.AppendAsync(actor, "job.run", definition.Name, new { runId = run.Id }, cancellationToken);
        return new JobCommandResult(run, null);
    }

    /// <summary>Runs newest first; null when <paramref name="state"/> is not a run state.</summary>
    public async Task<List<JobRun>?> ListRunsAsync(string? job, string? state, int limit, CancellationToken cancellationToken)
    {
        var query = db.JobRuns.AsNoTracking();
        if (!string.IsNullOrEmpty(job))
        {
            query = query.Where(r => r.Job == job);
        }
        if (!string.IsNullOrEmpty(state))
        {
            var parsed = Enum.GetValues<JobRunState>().Where(s => JobRunResponse.NameOf(s) == state).ToList();
            if (parsed.Count == 0)
            {
                return null;
            }
            var wanted = parsed[0];
            query = query.Where(r => r.State == wanted);
        }
        return await query.OrderByDescending(r => r.Id).Take(Math.Clamp(limit, 1, MaxLimit)).ToListAsync(cancellationToken);
    }

    public async Task<JobRun?> FindRunAsync(long id, CancellationToken cancellationToken) =>
        await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>
    /// A queued run is cancelled; a running one is interrupted (it ends <c>cancelled</c> once the
    /// job observes its token, within one cluster check-in when it runs on another node).
    /// </summary>
    public async Task<JobCommandResult> CancelAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var run = await FindRunAsync(id, cancellationToken);
        if (run is null)
        {
            return new JobCommandResult(null, $"Job run {id} not found.", NotFound: true);
        }
        if (!await launcher.CancelAsync(id, cancellationToken))
        {
            var ended = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
            return new JobCommandResult(null, $"Job run {id} has already ended ({JobRunResponse.NameOf(ended.State)}).");
        }
        await audit.AppendAsync(actor, "job.cancel", $"job-run:{id}", new { job = run.Job, state = JobRunResponse.NameOf(run.State) }, cancellationToken);
        return new JobCommandResult(await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken), null);
    }
}
