using System.Text.Json;
using StorageServer.Jobs;

namespace StorageServer.Erasure.Jobs;

/// <summary>Queues the Quartz runs of erasure work.</summary>
public sealed class ErasureLauncher(JobLauncher launcher, IEnumerable<JobDefinition> definitions)
{
    public Task<StorageServer.Data.Entities.JobRun> RunRequestAsync(string requestId, string requestedBy, CancellationToken cancellationToken) =>
        launcher.EnqueueAsync(Definition(ErasureJob.Name), requestedBy, JsonSerializer.Serialize(new { request = requestId }), cancellationToken);

    public Task<StorageServer.Data.Entities.JobRun> RunScanAsync(string scanId, string requestedBy, CancellationToken cancellationToken) =>
        launcher.EnqueueAsync(Definition(SubjectScanJob.Name), requestedBy, JsonSerializer.Serialize(new { scan = scanId }), cancellationToken);

    private JobDefinition Definition(string name) => definitions.Single(d => d.Name == name);
}
