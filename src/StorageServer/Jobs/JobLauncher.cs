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
        var data = new JobDataMap { [StorageJob.RunIdKey] = run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (parametersJson is not null)
        {
            data[StorageJob.ParametersKey] = parametersJson;
        }
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            await scheduler.TriggerJob(job.Key, data, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not queue job {Job} run {JobRunId}", job.Name, run.Id);
            await recorder.TryStartAsync(run.Id, "-", "-", CancellationToken.None);
            await recorder.FinishAsync(run.Id, JobRunState.Failed, $"Could not be queued: {e.Message}");
            throw;
        }
        return run;
    }

    /// <summary>
    /// Cancels a queued run outright, or interrupts a running one (on whichever node runs it; a remote
    /// node sees the request at its next cluster check-in). False when the run has already ended.
    /// </summary>
    public async Task<bool> CancelAsync(JobRun run, CancellationToken cancellationToken)
    {
        if (run.State == JobRunState.Queued && await recorder.TryCancelQueuedAsync(run.Id, "Cancelled before it started.", cancellationToken))
        {
            return true;
        }
        if (run.State is not (JobRunState.Queued or JobRunState.Running) || run.FireInstanceId is null)
        {
            // Raced with its start: the row now says running, and the caller can retry with it.
            return run.State is JobRunState.Queued or JobRunState.Running;
        }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var interrupted = await scheduler.InterruptFireInstance(run.FireInstanceId, cancellationToken);
        logger.LogInformation("Interrupt of job {Job} run {JobRunId} (firing {FireInstanceId}) requested: {Interrupted}", run.Job, run.Id, run.FireInstanceId, interrupted);
        return true;
    }
}
