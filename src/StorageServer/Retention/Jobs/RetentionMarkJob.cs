using System.Text.Json;
using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Jobs;
using StorageServer.Retention.Runs;

namespace StorageServer.Retention.Jobs;

/// <summary>
/// A retention mark. Parameters: <c>{"dryRun": true|false, "repository": "owner/name"?}</c>; a
/// scheduled run is a real run over every repository. One mark at a time cluster-wide (a sweep may run beside it: it re-checks every object at deletion).
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionMarkJob(
    RetentionMarkRunner marker, JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<RetentionMarkJob> logger)
    : StorageJob(recorder, options, logger)
{
    public const string Name = "RetentionMark";

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var dryRun = run.Parameters.ValueKind == JsonValueKind.Object && run.Parameters.TryGetProperty("dryRun", out var value) && value.ValueKind == JsonValueKind.True;
        try
        {
            var result = await marker.RunAsync(run.GetString("repository"), dryRun, run.GetString("requestedBy"), run.RunId,
                (done, total, message) => run.Progress.ReportAsync(done, total, message, cancellationToken), cancellationToken);
            await run.Progress.ReportAsync(1, 1, $"retention run {result.Id}: {result.Candidates} candidates, {result.Trashed} trashed, {result.Held} held", cancellationToken);
        }
        catch (RetentionRequestException e)
        {
            throw new JobParameterException(e.Message);
        }
    }
}
