using Quartz;
using StorageServer.Data.Entities;

namespace StorageServer.Jobs;

/// <summary>Queues manual runs and cancels runs, through the clustered scheduler.</summary>
public sealed class JobLauncher(ISchedulerFactory schedulers, JobRunRecorder recorder, ILogger<JobLauncher> logger)
{
    /// <summary>
    /// Records a queued run and fires the job once with it. Any node's scheduler may pick the firing
    /// up; the clustered store hands it to exactly one.
    /// </summary>
    public async Task<JobRun> EnqueueAsync(JobDefinition job, string requestedBy, string? parametersJson, CancellationToken cancellationToken)
    {
        var run = await recorder.CreateAsync(job.Name, JobRunTrigger.Manual, requestedBy, parametersJson, cancellationToken);
        try
        {
            await FireAsync(job, run.Id, parametersJson, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not queue job {Job} run {JobRunId}", job.Name, run.Id);
            await recorder.TryEndQueuedAsync(run.Id, JobRunState.Failed, $"Could not be queued: {e.Message}", CancellationToken.None);
            throw;
        }
        return run;
    }

    /// <summary>Fires the job once for the queued run <paramref name="runId"/>: whichever firing starts it first runs it.</summary>
    public async Task FireAsync(JobDefinition job, long runId, string? parametersJson, CancellationToken cancellationToken)
    {
        var data = new JobDataMap { [StorageJob.RunIdKey] = runId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (parametersJson is not null)
        {
            data[StorageJob.ParametersKey] = parametersJson;
        }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(job.Key, data, cancellationToken);
    }

    /// <summary>
    /// Cancels a queued run outright, or interrupts a running one (on whichever node runs it; a remote
    /// node sees the request at its next cluster check-in). False when the run has already ended.
    /// </summary>
    public async Task<bool> CancelAsync(long runId, CancellationToken cancellationToken)
    {
        // Twice at most: a queued run can start between reading it and cancelling it.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var run = await recorder.FindAsync(runId, cancellationToken);
            switch (run?.State)
            {
                case JobRunState.Queued:
                    if (await recorder.TryEndQueuedAsync(runId, JobRunState.Cancelled, "Cancelled before it started.", cancellationToken))
                    {
                        return true;
                    }
                    continue;
                case JobRunState.Running:
                    var scheduler = await schedulers.GetScheduler(cancellationToken);
                    var interrupted = await scheduler.InterruptFireInstance(run.FireInstanceId!, cancellationToken);
                    logger.LogInformation("Interrupt of job {Job} run {JobRunId} (firing {FireInstanceId}) requested: {Interrupted}",
                        run.Job, run.Id, run.FireInstanceId, interrupted);
                    return true;
                default:
                    return false;
            }
        }
        return false;
    }
}
