using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Data;
using StorageServer.Indexing;

namespace StorageServer.Jobs;

/// <summary>
/// Rebuilds one repository's pointer index from all its refs. Parameter: <c>{"repository": "owner/name"}</c>.
/// Runs one at a time cluster-wide (rescans of different repositories queue behind each other):
/// simple, and two rescans of one repository would only race each other.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RescanRepositoryJob(
    StorageDbContext db, IServiceProvider services, JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<RescanRepositoryJob> logger)
    : StorageJob(recorder, options, logger)
{
    public const string Name = "RescanRepository";

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var name = run.GetString("repository") ?? throw new JobParameterException("Parameter 'repository' (\"owner/name\") is required.");
        var repository = await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == name, cancellationToken)
            ?? throw new JobParameterException($"Repository '{name}' not found.");
        // PointerIndexer exists only with git hosting on (Git:Enabled).
        var indexer = services.GetService<PointerIndexer>() ?? throw new JobParameterException("Git hosting is disabled on this server (Git:Enabled=false).");
        await run.Progress.ReportAsync(0, 1, name, cancellationToken);
        var result = await indexer.RescanAsync(repository, cancellationToken);
        await run.Progress.ReportAsync(1, 1, $"{name}: {result.Pointers} pointers, {result.Added} added, {result.Unreachable} commits no ref reaches", cancellationToken);
    }
}
