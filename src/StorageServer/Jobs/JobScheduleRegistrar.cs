using Microsoft.Extensions.Options;
using Quartz;

namespace StorageServer.Jobs;

/// <summary>
/// At startup, before the scheduler starts: stores every known job (durable, so manual runs can
/// fire it) and brings the cron triggers in line with <c>Jobs:Schedules</c>. Every node does this
/// against the shared store; a trigger whose cron is unchanged is left alone so nodes starting
/// together do not reset each other's schedule. Then ends the runs a stopped node left running
/// (<see cref="JobRunJanitor"/>). On the in-memory store (one node, SQLite) it also restores what a
/// persistent store would have kept across the restart (<see cref="InMemoryStoreRestorer"/>).
/// </summary>
internal sealed class JobScheduleRegistrar(
    ISchedulerFactory schedulers, IEnumerable<JobDefinition> definitions, IOptions<JobsOptions> options, IServiceScopeFactory scopes,
    ILogger<JobScheduleRegistrar> logger) : IHostedService
{
    public const string ScheduleTriggerSuffix = ".schedule";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var inMemory = !(await scheduler.GetMetadata(cancellationToken)).JobStorePersistent;
        foreach (var definition in definitions)
        {
            var detail = JobBuilder.Create()
                .OfType(definition.JobType)
                .WithIdentity(definition.Key)
                .WithDescription(definition.Description)
                .StoreDurably()
                .Build();
            await scheduler.AddJob(detail, AddJobOptions.Replacing, cancellationToken);

            var triggerKey = ScheduleTriggerKey(definition.Name);
            var existing = await scheduler.GetTrigger(triggerKey, cancellationToken) as ICronTrigger;
            if (options.Value.Schedules.TryGetValue(definition.Name, out var cron))
            {
                if (existing?.CronExpressionString == new CronExpression(cron).CronExpressionString)
                {
                    continue;
                }
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(triggerKey)
                    .ForJob(definition.Key)
                    .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc))
                    .Build();
                await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
                logger.LogInformation("Job {Job} scheduled: {Cron} (UTC)", definition.Name, cron);
            }
            else if (existing is not null)
            {
                await scheduler.UnscheduleJob(triggerKey, cancellationToken);
                logger.LogInformation("Job {Job} schedule removed", definition.Name);
            }
        }

        // The scheduler has started (and recovered this node's own firings), so runs it had left
        // running can be told from runs that are still going.
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<JobRunJanitor>().EndLostRunsAsync(cancellationToken);
        if (inMemory)
        {
            var restorer = scope.ServiceProvider.GetRequiredService<InMemoryStoreRestorer>();
            await restorer.CatchUpMissedFiringsAsync(cancellationToken);
            await restorer.RequeueQueuedRunsAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static TriggerKey ScheduleTriggerKey(string job) => new(job + ScheduleTriggerSuffix, JobDefinition.Group);
}
