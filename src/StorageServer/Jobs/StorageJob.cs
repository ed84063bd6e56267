using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Data.Entities;

namespace StorageServer.Jobs;

/// <summary>
/// Base of every background job: records the run in <c>job_runs</c> (queued, running, then
/// succeeded / failed / cancelled / timed_out), catches and logs whatever the job throws, cancels
/// it after its maximum run duration (<see cref="JobsOptions.MaxRunDurationOf"/>) and passes it a
/// token that an admin's cancel (Quartz <c>InterruptFireInstance</c>) and the node's shutdown also cancel.
/// </summary>
public abstract class StorageJob(JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger logger) : IJob
{
    /// <summary>JobDataMap key of the <c>job_runs</c> id a manual run was queued under.</summary>
    public const string RunIdKey = "runId";

    /// <summary>The job's work. Throw to fail the run; honour <paramref name="cancellationToken"/>.</summary>
    protected abstract Task RunAsync(JobRunContext run, CancellationToken cancellationToken);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var job = context.JobDetail.Key.Name;
        var node = context.Scheduler.SchedulerInstanceId;
        long runId;
        string? parametersJson;
        try
        {
            (runId, parametersJson) = await ClaimRunAsync(context, job, node, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {Job} could not record its run on {Node}; not running it", job, node);
            return;
        }
        if (runId == 0)
        {
            return;
        }

        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["Job"] = job, ["JobRunId"] = runId, ["Node"] = node });
        var maxDuration = options.CurrentValue.MaxRunDurationOf(job);
        using var timeout = new CancellationTokenSource(maxDuration);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        logger.LogInformation("Job {Job} run {JobRunId} started on {Node}", job, runId, node);
        var (state, error) = (JobRunState.Succeeded, (string?)null);
        try
        {
            using var parameters = JsonDocument.Parse(parametersJson ?? "{}");
            var progress = new Progress(recorder, runId);
            await RunAsync(new JobRunContext(job, runId, parameters.RootElement.Clone(), progress, context.ScheduledFireTimeUtc), linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            (state, error) = (JobRunState.TimedOut, $"Ran longer than its maximum run duration of {maxDuration.ToString("c", CultureInfo.InvariantCulture)}.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            (state, error) = (JobRunState.Cancelled, recorder.NodeStopping
                ? $"Interrupted: node {node} shut down while it ran."
                : "Cancelled by an admin.");
        }
        catch (Exception e)
        {
            (state, error) = (JobRunState.Failed, e.Message);
            logger.LogError(e, "Job {Job} run {JobRunId} failed: {Error}", job, runId, e.Message);
        }
        try
        {
            await recorder.FinishAsync(runId, job, state, error);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {Job} run {JobRunId} ended {State} but could not record it", job, runId, state);
        }
        logger.LogInformation("Job {Job} run {JobRunId} ended {State}", job, runId, state);
    }

    /// <summary>The run to execute: the queued one a manual trigger names, or a new one for a schedule. 0: nothing to run.</summary>
    private async Task<(long RunId, string? ParametersJson)> ClaimRunAsync(IJobExecutionContext context, string job, string node, CancellationToken cancellationToken)
    {
        if (context.MergedJobDataMap.TryGetString(RunIdKey, out var queued) && long.TryParse(queued, CultureInfo.InvariantCulture, out var queuedId))
        {
            if (!await recorder.TryStartAsync(queuedId, node, context.FireInstanceId, cancellationToken))
            {
                logger.LogWarning("Job {Job} run {JobRunId} is no longer queued (cancelled before it started, or already taken); skipping", job, queuedId);
                return (0, null);
            }
            context.MergedJobDataMap.TryGetString(ParametersKey, out var json);
            return (queuedId, json);
        }
        // Quartz's clustered store already fires each tick once; the unique tick makes that hold even
        // if a scheduler misbehaves (clock skew between nodes, a recovered misfire).
        var tick = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var run = await recorder.TryCreateScheduledAsync(job, tick, cancellationToken);
        if (run is null)
        {
            logger.LogWarning("Job {Job} tick {Tick} already has a run; this firing on {Node} is skipped", job, tick, node);
            return (0, null);
        }
        return await recorder.TryStartAsync(run.Id, node, context.FireInstanceId, cancellationToken) ? (run.Id, null) : (0, null);
    }

    /// <summary>JobDataMap key of a manual run's JSON parameters.</summary>
    public const string ParametersKey = "parameters";

    private sealed class Progress(JobRunRecorder recorder, long runId) : IJobProgress
    {
        public Task ReportAsync(long done, long? total, string? message, CancellationToken cancellationToken) =>
            recorder.ReportProgressAsync(runId, done, total, message, cancellationToken);
    }
}
