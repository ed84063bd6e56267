using Quartz;

namespace StorageServer.Observability;

/// <summary>Counts finished job runs on this node (Quartz job listener, attached once the scheduler exists).</summary>
internal sealed class JobRunMetricsListener(StorageMetrics metrics) : IJobListener
{
    public string Name => "metrics";

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        metrics.JobRun(context.JobDetail.Key.Name, jobException is null ? "completed" : "failed");
        return ValueTask.CompletedTask;
    }
}

internal sealed class JobRunMetricsRegistration(ISchedulerFactory schedulers, JobRunMetricsListener listener) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        scheduler.ListenerManager.AddJobListener(listener, GroupMatcher<JobKey>.AnyGroup());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
