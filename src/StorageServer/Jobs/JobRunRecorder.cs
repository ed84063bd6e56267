using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Observability;

namespace StorageServer.Jobs;

/// <summary>
/// Writes a run's row in <c>job_runs</c>. Each write uses its own short-lived context, so a job's
/// own unit of work (and its failure) never carries the run's bookkeeping with it.
/// </summary>
public sealed class JobRunRecorder(IServiceScopeFactory scopes, TimeProvider clock, IHostApplicationLifetime lifetime, StorageMetrics metrics)
{
    /// <summary>True once this node has begun to stop: a job cancelled now was interrupted by the shutdown.</summary>
    public bool NodeStopping => lifetime.ApplicationStopping.IsCancellationRequested;

    public async Task<JobRun> CreateAsync(string job, JobRunTrigger trigger, string? requestedBy, string? parametersJson, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var run = NewRun(job, trigger, requestedBy, parametersJson, scheduledFor: null);
        db.JobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>
    /// Records the run of one schedule tick; null when that tick already has a run, which only a
    /// second firing of the same tick (on another node) can cause.
    /// </summary>
    public async Task<JobRun?> TryCreateScheduledAsync(string job, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var run = NewRun(job, JobRunTrigger.Schedule, requestedBy: null, parametersJson: null, scheduledFor);
        db.JobRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return run;
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return null;
        }
    }

    private JobRun NewRun(string job, JobRunTrigger trigger, string? requestedBy, string? parametersJson, DateTimeOffset? scheduledFor) => new()
    {
        Job = job,
        Trigger = trigger,
        RequestedBy = requestedBy,
        ParametersJson = parametersJson,
        State = JobRunState.Queued,
        ScheduledFor = scheduledFor,
        QueuedAt = clock.GetUtcNow(),
    };

    /// <summary>
    /// Moves a queued run to running. False when it is not queued any more: cancelled before it
    /// started, or already taken by another firing (which a clustered scheduler should never make).
    /// </summary>
    public async Task<bool> TryStartAsync(long runId, string node, string fireInstanceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var now = clock.GetUtcNow();
        return await db.JobRuns.Where(r => r.Id == runId && r.State == JobRunState.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, JobRunState.Running)
            .SetProperty(r => r.StartedAt, now)
            .SetProperty(r => r.Node, node)
            .SetProperty(r => r.FireInstanceId, fireInstanceId), cancellationToken) == 1;
    }

    public async Task ReportProgressAsync(long runId, long done, long? total, string? message, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        await db.JobRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.ProgressDone, done)
            .SetProperty(r => r.ProgressTotal, total)
            .SetProperty(r => r.ProgressMessage, message), cancellationToken);
    }

    /// <summary>
    /// Ends a running run and counts its outcome (<c>storageserver_jobs_runs_total</c>). Never
    /// cancelled: the outcome is recorded even when the run was.
    /// </summary>
    public async Task FinishAsync(long runId, string job, JobRunState state, string? error)
    {
        metrics.JobRun(job, JobRunResponse.NameOf(state));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var now = clock.GetUtcNow();
        await db.JobRuns.Where(r => r.Id == runId && r.State == JobRunState.Running).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, state)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.Error, error), CancellationToken.None);
    }

    /// <summary>Ends a run that has not started (cancelled, or failed to queue); false when it is no longer queued.</summary>
    public async Task<bool> TryEndQueuedAsync(long runId, JobRunState state, string error, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var now = clock.GetUtcNow();
        return await db.JobRuns.Where(r => r.Id == runId && r.State == JobRunState.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, state)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.Error, error), cancellationToken) == 1;
    }

    /// <summary>The run's row as it is now, or null when there is none.</summary>
    public async Task<JobRun?> FindAsync(long runId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        return await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
    }
}
