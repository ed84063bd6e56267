using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Jobs;
using StorageServer.Retention.Reconciliation;

namespace StorageServer.Retention.Jobs;

/// <summary>Reclaims crash leftovers (object files without a row, rows without a claim) older than the orphan grace.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionReconcileJob(
    CrashLeftoverReconciler reconciler, JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<RetentionReconcileJob> logger)
    : StorageJob(recorder, options, logger)
{
    public const string Name = "RetentionReconcile";

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var result = await reconciler.RunAsync(run.GetString("requestedBy") ?? "system:reconcile", run.RunId,
            (done, total, message) => run.Progress.ReportAsync(done, total, message, cancellationToken), cancellationToken);
        await run.Progress.ReportAsync(1, 1, $"retention run {result.Id}: {result.Candidates} leftovers, {result.Swept} reclaimed", cancellationToken);
    }
}
