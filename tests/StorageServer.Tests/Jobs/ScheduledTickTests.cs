using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data.Entities;
using StorageServer.Jobs;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Jobs;

/// <summary>
/// The database's half of "one run per schedule tick": a second firing of a tick already recorded
/// (two nodes' schedulers disagreeing, a recovered misfire) gets no run, on both providers.
/// </summary>
public abstract class ScheduledTickTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task A_tick_gets_one_run_and_manual_runs_are_not_limited()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        var recorder = server.Services.GetRequiredService<JobRunRecorder>();
        var tick = new DateTimeOffset(2026, 11, 22, 10, 0, 2, TimeSpan.Zero);

        var first = await recorder.TryCreateScheduledAsync("RescanAll", tick, CancellationToken.None);
        var again = await recorder.TryCreateScheduledAsync("RescanAll", tick, CancellationToken.None);
        var next = await recorder.TryCreateScheduledAsync("RescanAll", tick.AddSeconds(2), CancellationToken.None);
        var otherJob = await recorder.TryCreateScheduledAsync("RetentionMark", tick, CancellationToken.None);
        var manual1 = await recorder.CreateAsync("RescanAll", JobRunTrigger.Manual, "admin", null, CancellationToken.None);
        var manual2 = await recorder.CreateAsync("RescanAll", JobRunTrigger.Manual, "admin", null, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.NotNull(next);
        Assert.NotNull(otherJob);
        Assert.NotEqual(manual1.Id, manual2.Id);
        await using var db = database.CreateContext();
        Assert.Equal(tick, db.JobRuns.Single(r => r.Id == first.Id).ScheduledFor);
        Assert.Equal(1, db.JobRuns.Count(r => r.Job == "RescanAll" && r.ScheduledFor == tick));
    }
}

public sealed class SqliteScheduledTickTests(SqliteTestDatabase database) : ScheduledTickTests<SqliteTestDatabase>(database);

public sealed class PostgresScheduledTickTests(PostgresTestDatabase database) : ScheduledTickTests<PostgresTestDatabase>(database);
