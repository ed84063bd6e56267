using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Jobs;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Jobs;

namespace StorageServer.Retention.Runs;

/// <summary>The job run a started retention run executes as, or why none was started.</summary>
public sealed record RetentionStartResult(JobRun? JobRun, string? Job, string? Error);

/// <summary>
/// Starts marks (dry or real), sweeps and reconciliations of crash leftovers as jobs, for the admin API and the console; audited as
/// <c>retention.run</c>. Also lists runs, newest first.
/// </summary>
public sealed class RetentionRunLauncher(StorageDbContext db, IEnumerable<JobDefinition> definitions, JobLauncher launcher, AuditLog audit)
{
    public async Task<RetentionStartResult> StartAsync(string? kind, bool dryRun, string? repository, string actor, CancellationToken cancellationToken)
    {
        kind ??= "mark";
        if (kind is not ("mark" or "sweep" or "reconcile"))
        {
            return Invalid("kind must be 'mark', 'sweep' or 'reconcile'.");
        }
        if (kind != "mark" && (dryRun || repository is not null))
        {
            return Invalid($"A {kind} takes no dryRun or repository: it covers the whole store (a dry run is a mark with dryRun).");
        }
        if (repository is not null && !await db.Repositories.AnyAsync(r => r.Name == repository, cancellationToken))
        {
            return Invalid($"Repository '{repository}' not found.");
        }
        var job = definitions.Single(d => d.Name == kind switch { "mark" => RetentionMarkJob.Name, "sweep" => RetentionSweepJob.Name, _ => RetentionReconcileJob.Name });
        var parameters = JsonSerializer.Serialize(new { dryRun, repository, requestedBy = actor });
        var run = await launcher.EnqueueAsync(job, actor, parameters, cancellationToken);
        await audit.AppendAsync(actor, "retention.run", kind, new { dryRun, Repository = repository, jobRunId = run.Id }, cancellationToken);
        return new RetentionStartResult(run, job.Name, null);
    }

    public async Task<List<RetentionRunResponse>> ListAsync(long? jobRunId, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Set<RetentionRun>().AsNoTracking();
        if (jobRunId is not null)
        {
            query = query.Where(r => r.JobRunId == jobRunId);
        }
        var runs = await query.OrderByDescending(r => r.Id).Take(Math.Clamp(limit ?? 50, 1, 500)).ToListAsync(cancellationToken);
        return runs.Select(RetentionRunResponse.From).ToList();
    }

    private static RetentionStartResult Invalid(string error) => new(null, null, error);
}
