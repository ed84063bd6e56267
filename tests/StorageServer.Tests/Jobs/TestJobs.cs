using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StorageServer.Jobs;

namespace StorageServer.Tests.Jobs;

/// <summary>Jobs that exist only in tests, registered through <see cref="Support.StorageServerFactory"/>'s service hook.</summary>
internal static class TestJobs
{
    public const string Failing = "TestFailing";
    public const string Blocking = "TestBlocking";

    public static void Register(IServiceCollection services)
    {
        services.AddStorageJob<FailingJob>(Failing, "Throws.");
        services.AddStorageJob<BlockingJob>(Blocking, "Waits until cancelled.");
    }
}

internal sealed class FailingJob(JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<FailingJob> logger) : StorageJob(recorder, options, logger)
{
    public const string Message = "the disk is on fire";

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        await run.Progress.ReportAsync(1, 2, "half way", cancellationToken);
        throw new InvalidOperationException(Message);
    }
}

internal sealed class BlockingJob(JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<BlockingJob> logger) : StorageJob(recorder, options, logger)
{
    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        await run.Progress.ReportAsync(0, null, "waiting", cancellationToken);
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
    }
}

/// <summary>
/// Counts its executions in process-wide tallies, so two in-process nodes report into the same place.
/// Not <c>[DisallowConcurrentExecution]</c>: only the clustered store keeps two nodes from running a firing twice.
/// </summary>
internal sealed class CountingJob(JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<CountingJob> logger) : StorageJob(recorder, options, logger)
{
    /// <summary>Executions per run id.</summary>
    public static readonly ConcurrentDictionary<long, int> ByRun = new();

    /// <summary>Executions per "job@scheduled fire time": what a user sees, whichever layer (Quartz's cluster lock, the unique tick in <c>job_runs</c>) keeps a tick from running twice.</summary>
    public static readonly ConcurrentDictionary<string, int> ByFireTime = new();

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        ByRun.AddOrUpdate(run.RunId, 1, (_, n) => n + 1);
        ByFireTime.AddOrUpdate($"{run.Job}@{run.ScheduledFireTime:O}", 1, (_, n) => n + 1);
        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
    }
}

/// <summary>
/// Counts its executions per "job#run id" in its own process-wide tally: run ids repeat across the
/// test databases, so a job of the SQLite tests must not count into <see cref="CountingJob"/>'s.
/// </summary>
internal sealed class RecordingJob(JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<RecordingJob> logger) : StorageJob(recorder, options, logger)
{
    public static readonly ConcurrentDictionary<string, int> ByJobRun = new();

    public static int Executions(string job, long runId) => ByJobRun.GetValueOrDefault($"{job}#{runId}");

    protected override Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        ByJobRun.AddOrUpdate($"{run.Job}#{run.RunId}", 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
