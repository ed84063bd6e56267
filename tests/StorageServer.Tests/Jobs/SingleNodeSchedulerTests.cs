using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using StorageServer.Data.Entities;
using StorageServer.Jobs;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Jobs;

/// <summary>
/// The single-node (SQLite) scheduler keeps its firings in memory: schedules fire, and what the
/// persistent store used to carry across a restart is rebuilt from <c>job_runs</c> at start (a
/// queued run runs, a firing missed while the server was down runs once, a new schedule does not
/// fire retroactively). Manual runs, cancels, timeouts, lost runs and interruption at shutdown on
/// this store are covered by <see cref="SqliteJobsApiTests"/>.
/// </summary>
public sealed class SingleNodeSchedulerTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private const string EverySecond = "SingleNodeEverySecond";
    private const string Daily = "SingleNodeDaily";
    private const string NewDaily = "SingleNodeNewDaily";
    private const string Queued = "SingleNodeQueued";
    private const string DailyCron = "0 0 3 * * ?";

    private StorageServerFactory CreateServer(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(database.ServerSettings);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return new StorageServerFactory(all, services =>
        {
            // Schedules need a clock that moves; the factory's manual clock stands still.
            services.Replace(ServiceDescriptor.Singleton(TimeProvider.System));
            foreach (var name in new[] { EverySecond, Daily, NewDaily, Queued })
            {
                services.AddStorageJob<RecordingJob>(name, "Counts its executions.");
            }
        });
    }

    [Fact]
    public async Task A_schedule_fires_and_records_its_runs()
    {
        using var server = CreateServer(new Dictionary<string, string?> { [$"Jobs:Schedules:{EverySecond}"] = "* * * * * ?" });
        using var admin = server.CreateAdminClient();

        var run = await WaitForRunAsync(r => r.Job == EverySecond && r.State == JobRunState.Succeeded);

        Assert.Equal(JobRunTrigger.Schedule, run.Trigger);
        Assert.NotNull(run.ScheduledFor);
        Assert.Equal(1, RecordingJob.Executions(EverySecond, run.Id));
    }

    [Fact]
    public async Task A_firing_missed_while_the_server_was_down_runs_once_at_start_and_a_new_schedule_waits()
    {
        var cron = new CronExpression(DailyCron, TimeZoneInfo.Utc);
        // The last run the schedule recorded was days ago: the ticks since passed with the server down.
        var lastTick = cron.GetNextValidTimeAfter(DateTimeOffset.UtcNow.AddDays(-3))!.Value;
        long seeded;
        await using (var db = await database.CreateMigratedContextAsync())
        {
            var run = new JobRun
            {
                Job = Daily, Trigger = JobRunTrigger.Schedule, State = JobRunState.Succeeded, ScheduledFor = lastTick,
                QueuedAt = lastTick, StartedAt = lastTick, FinishedAt = lastTick,
            };
            db.JobRuns.Add(run);
            await db.SaveChangesAsync();
            seeded = run.Id;
        }

        using var server = CreateServer(new Dictionary<string, string?>
        {
            [$"Jobs:Schedules:{Daily}"] = DailyCron,
            [$"Jobs:Schedules:{NewDaily}"] = DailyCron,
        });
        using var admin = server.CreateAdminClient();

        var caughtUp = await WaitForRunAsync(r => r.Job == Daily && r.Id != seeded && r.State == JobRunState.Succeeded);
        Assert.Equal(JobRunTrigger.Schedule, caughtUp.Trigger);
        Assert.True(caughtUp.ScheduledFor > lastTick.AddDays(1), $"caught-up tick {caughtUp.ScheduledFor:O}");
        await using var check = database.CreateContext();
        Assert.Equal(2, await check.JobRuns.CountAsync(r => r.Job == Daily));
        // Scheduled together with the missed one, it never misfired: it waits for its first 03:00.
        Assert.Equal(0, await check.JobRuns.CountAsync(r => r.Job == NewDaily));
    }

    [Fact]
    public async Task A_run_queued_before_a_restart_runs_at_the_next_start()
    {
        long queued;
        await using (var db = await database.CreateMigratedContextAsync())
        {
            // What a server stopped before its queued run started leaves behind.
            var run = new JobRun
            {
                Job = Queued, Trigger = JobRunTrigger.Manual, RequestedBy = "admin", ParametersJson = "{\"x\":1}",
                State = JobRunState.Queued, QueuedAt = DateTimeOffset.UtcNow,
            };
            db.JobRuns.Add(run);
            await db.SaveChangesAsync();
            queued = run.Id;
        }

        using var server = CreateServer(new Dictionary<string, string?>());
        using var admin = server.CreateAdminClient();

        var ended = await JobApi.WaitForEndAsync(admin, queued);
        Assert.Equal("succeeded", ended.GetProperty("state").GetString());
        Assert.Equal(1, RecordingJob.Executions(Queued, queued));
    }

    private async Task<JobRun> WaitForRunAsync(Func<JobRun, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            await using (var db = database.CreateContext())
            {
                var runs = await db.JobRuns.AsNoTracking().ToListAsync(timeout.Token);
                if (runs.FirstOrDefault(match) is { } run)
                {
                    return run;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
