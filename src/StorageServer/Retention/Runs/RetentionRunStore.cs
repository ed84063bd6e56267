using StorageServer.Data;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;

namespace StorageServer.Retention.Runs;

/// <summary>Creates and finishes <c>retention_runs</c> rows.</summary>
public sealed class RetentionRunStore(IServiceScopeFactory scopes, PolicyLoader policies, TimeProvider clock)
{
    public async Task<RetentionRun> StartAsync(RetentionRunKind kind, bool dryRun, string? repository, string? requestedBy, long? jobRunId, CancellationToken cancellationToken)
    {
        var used = (await policies.LoadAsync(cancellationToken)).Select(p => new { p.Id, p.Version, p.Name });
        var run = new RetentionRun
        {
            Kind = kind, DryRun = dryRun, State = RetentionRunState.Running, Repository = repository, RequestedBy = requestedBy,
            JobRunId = jobRunId, StartedAt = clock.GetUtcNow(), PoliciesJson = JsonSerializer.Serialize(used),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Records the totals and the end; a separate context so a failed run's own context state does not matter.</summary>
    public async Task FinishAsync(RetentionRun run, string? error, CancellationToken cancellationToken)
    {
        MarkFinished(run, error);
        await SaveAsync(run, cancellationToken);
    }

    /// <summary>Sets the run's outcome in memory, so a report written next shows it; <see cref="SaveAsync"/> stores it.</summary>
    public void MarkFinished(RetentionRun run, string? error)
    {
        run.FinishedAt = clock.GetUtcNow();
        run.State = error is null ? RetentionRunState.Completed : RetentionRunState.Failed;
        run.Error = error;
    }

    public async Task SaveAsync(RetentionRun run, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        db.Update(run);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<RetentionRun?> FindAsync(StorageDbContext db, long id, CancellationToken cancellationToken) =>
        await db.Set<RetentionRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
}
