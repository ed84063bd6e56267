using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Erasure.Requests;
using StorageServer.Jobs;

namespace StorageServer.Erasure.Jobs;

/// <summary>
/// Runs (or resumes) one erasure request. Parameter: <c>{"request": "er_…"}</c>. One at a time
/// cluster-wide: two runs of the same request would race each other, and erasures are rare.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ErasureJob(ErasureProcessor processor, JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<ErasureJob> logger)
    : StorageJob(recorder, options, logger)
{
    public const string Name = "Erasure";

    protected override Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var requestId = run.GetString("request") ?? throw new JobParameterException("Parameter 'request' (an erasure request id) is required.");
        return processor.RunAsync(requestId, run.Progress, cancellationToken);
    }
}
