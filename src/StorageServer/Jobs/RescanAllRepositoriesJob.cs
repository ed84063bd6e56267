using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Data;
using StorageServer.Indexing;

namespace StorageServer.Jobs;

/// <summary>Rebuilds every repository's pointer index; progress counts repositories. One failing repository does not stop the rest.</summary>
[DisallowConcurrentExecution]
public sealed class RescanAllRepositoriesJob(
    StorageDbContext db, IServiceProvider services, JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<RescanAllRepositoriesJob> logger)
    : StorageJob(recorder, options, logger)
{
    public const string Name = "RescanAll";

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var indexer = services.GetService<PointerIndexer>() ?? throw new JobParameterException("Git hosting is disabled on this server (Git:Enabled=false).");
        var repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        var failed = new List<string>();
        await run.Progress.ReportAsync(0, repositories.Count, null, cancellationToken);
        for (var i = 0; i < repositories.Count; i++)
        {
            try
            {
                await indexer.RescanAsync(repositories[i], cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Rescan of {Repository} failed", repositories[i].Name);
                failed.Add(repositories[i].Name);
            }
            await run.Progress.ReportAsync(i + 1, repositories.Count, repositories[i].Name, cancellationToken);
        }
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Rescan failed for {failed.Count} of {repositories.Count} repositories: {string.Join(", ", failed)}.");
        }
    }
}
