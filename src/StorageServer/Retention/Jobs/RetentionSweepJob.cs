using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Jobs;
using StorageServer.Retention.Sweeping;

namespace StorageServer.Retention.Jobs;

/// <summary>A retention sweep: deletes the bytes of trashed objects past their restore window, re-checking each.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionSweepJob(
    RetentionSweepRunner sweeper, JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<RetentionSweepJob> logger)
    : StorageJob(recorder, options, logger)
{
    public const string Name = "RetentionSweep";

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var result = await sweeper.RunAsync(run.GetString("requestedBy"), run.RunId,
            (done, total, message) => run.Progress.ReportAsync(done, total, message, cancellationToken), cancellationToken);
        await run.Progress.ReportAsync(1, 1, $"retention run {result.Id}: {result.Swept} deleted, {result.SkippedRevived} revived", cancellationToken);
    }
}
