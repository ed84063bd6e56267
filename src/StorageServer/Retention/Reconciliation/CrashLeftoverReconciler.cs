using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Holds;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;
using StorageServer.Retention.Runs;
using StorageServer.Retention.Sweeping;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Retention.Reconciliation;

/// <summary>
/// Reclaims what crashes leave between the store and the database (<see cref="LeftoverKind"/>) once
/// it is older than the longest orphan grace, never younger. Each goes the sweep's safe way: a fence
/// first, then, with the fence visible to uploads, a re-check (no upload lease, no hold, still a
/// leftover), then the delete. Runs at startup and as the <c>RetentionReconcile</c> job; what it
/// reclaimed is audited. Object files are found only in stores that can list (<see cref="IObjectStoreListing"/>).
/// </summary>
public sealed class CrashLeftoverReconciler(
    StorageDbContext db, IObjectStore store, LegalHoldQuery holds, PolicyLoader policies, RetentionRunStore runs, AuditLog audit, UploadLeases leases,
    IOptions<RetentionOptions> options, TimeProvider clock, ILogger<CrashLeftoverReconciler> logger)
{
    private const int Chunk = 500;

    public async Task<RetentionRun> RunAsync(string requestedBy, long? jobRunId, Func<long, long, string, Task>? progress, CancellationToken cancellationToken)
    {
        var run = await runs.StartAsync(RetentionRunKind.Reconcile, false, null, requestedBy, jobRunId, cancellationToken);
        try
        {
            var grace = new[] { options.Value.DefaultOrphanGrace }
                .Concat((await policies.LoadAsync(cancellationToken)).Where(p => p.OrphanGraceHours is not null).Select(p => TimeSpan.FromHours(p.OrphanGraceHours!.Value))).Max();
            var found = new LeftoverCount();
            var leftovers = await FindFilesAsync(grace, found, cancellationToken);
            leftovers.AddRange(await FindRowsAsync(grace, found, cancellationToken));
            var reclaimed = new List<Leftover>();
            for (var i = 0; i < leftovers.Count; i++)
            {
                if (await ReclaimAsync(run, leftovers[i], found, cancellationToken))
                {
                    reclaimed.Add(leftovers[i]);
                }
                if (progress is not null)
                {
                    await progress(i + 1, leftovers.Count, leftovers[i].Oid);
                }
            }
            run.Candidates = leftovers.Count;
            run.CandidateBytes = leftovers.Sum(l => l.Size);
            run.Swept = reclaimed.Count;
            run.SweptBytes = reclaimed.Sum(l => l.Size);
            run.Summary = found.ToSummary(leftovers.Count);
            if (reclaimed.Count > 0)
            {
                await audit.AppendAsync(requestedBy, "retention.reconcile", $"retention-run:{run.Id}",
                    new { run = run.Id, reclaimed = reclaimed.Count, bytes = run.SweptBytes, objects = reclaimed.Take(100).Select(l => new { l.Oid, kind = l.Kind.ToString(), l.Size }) }, cancellationToken);
            }
            await runs.FinishAsync(run, null, cancellationToken);
            logger.LogInformation("Retention reconcile {RunId}: {Found} leftovers older than {Grace}, {Reclaimed} reclaimed ({Bytes} bytes), {Young} younger left alone",
                run.Id, leftovers.Count, grace, reclaimed.Count, run.SweptBytes, found.Young);
            return run;
        }
        catch (Exception e)
        {
            await runs.FinishAsync(run, e is OperationCanceledException ? "cancelled" : e.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Files without a row, and files of rows marked deleted.</summary>
    private async Task<List<Leftover>> FindFilesAsync(TimeSpan grace, LeftoverCount found, CancellationToken cancellationToken)
    {
        var leftovers = new List<Leftover>();
        if (store is not IObjectStoreListing listing)
        {
            logger.LogInformation("The {Store} object store cannot list its objects: files without a row are not looked for", store.Name);
            return leftovers;
        }
        var now = clock.GetUtcNow();
        var chunk = new List<ListedObject>(Chunk);
        await foreach (var file in listing.ListAsync(cancellationToken))
        {
            chunk.Add(file);
            if (chunk.Count == Chunk)
            {
                await ClassifyAsync(chunk, grace, now, found, leftovers, cancellationToken);
                chunk.Clear();
            }
        }
        await ClassifyAsync(chunk, grace, now, found, leftovers, cancellationToken);
        return leftovers;
    }

    /// <summary>Of one chunk of listed files, those without a row or with a deleted row, old enough.</summary>
    private async Task ClassifyAsync(List<ListedObject> chunk, TimeSpan grace, DateTimeOffset now, LeftoverCount found, List<Leftover> leftovers, CancellationToken cancellationToken)
    {
        var oids = chunk.Select(o => o.Oid.Value).ToList();
        var rows = await db.Objects.AsNoTracking().Where(o => oids.Contains(o.Oid))
            .ToDictionaryAsync(o => o.Oid, o => (o.State, o.StateChangedAt), StringComparer.Ordinal, cancellationToken);
        foreach (var file in chunk)
        {
            found.Files++;
            var hasRow = rows.TryGetValue(file.Oid.Value, out var row);
            var kind = !hasRow ? LeftoverKind.FileWithoutRow : row.State == ObjectState.Deleted ? LeftoverKind.DeletedButStored : (LeftoverKind?)null;
            // Subtraction, not addition: a store that cannot date an object lists it as new (MaxValue).
            var since = kind == LeftoverKind.DeletedButStored ? row.StateChangedAt : file.LastModified;
            if (kind is { } leftover && found.IsOld(now - since >= grace))
            {
                leftovers.Add(new Leftover(file.Oid.Value, file.Size, leftover));
            }
        }
    }

    /// <summary>Live rows no repository claims, in the repository claims or the trash.</summary>
    private async Task<List<Leftover>> FindRowsAsync(TimeSpan grace, LeftoverCount found, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.Objects.AsNoTracking()
            .Where(o => (o.State == ObjectState.Live || o.State == ObjectState.Pending)
                && !db.RepoObjects.Any(c => c.Oid == o.Oid) && !db.Set<TrashEntry>().Any(t => t.Oid == o.Oid && t.State == TrashState.Trashed))
            .Select(o => new { o.Oid, o.Size, o.StateChangedAt }).ToListAsync(cancellationToken);
        found.Rows = rows.Count;
        return rows.Where(r => found.IsOld(now - r.StateChangedAt >= grace)).Select(r => new Leftover(r.Oid, r.Size, LeftoverKind.RowWithoutClaim)).ToList();
    }

    /// <summary>Fence, re-check with the fence visible, delete; the fence goes in any case.</summary>
    private async Task<bool> ReclaimAsync(RetentionRun run, Leftover leftover, LeftoverCount found, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        db.Add(new SweepFence { Oid = leftover.Oid, RunId = run.Id, CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            found.Busy++;
            return false;
        }
        db.ChangeTracker.Clear();
        try
        {
            if (await leases.IsLeasedAsync(db, leftover.Oid, now, cancellationToken))
            {
                found.Busy++;
                return false;
            }
            if (await holds.FindHeldAsync(leftover.Oid, cancellationToken) is not null)
            {
                found.Held++;
                return false;
            }
            if (!await IsStillLeftoverAsync(leftover, now, cancellationToken))
            {
                return false;
            }
            await store.DeleteAsync(Oid.Parse(leftover.Oid), cancellationToken);
            logger.LogWarning("Retention reconcile {RunId} reclaimed {Oid} ({Size} bytes): {Kind}", run.Id, leftover.Oid, leftover.Size, leftover.Kind);
            return true;
        }
        finally
        {
            await db.Set<SweepFence>().Where(f => f.Oid == leftover.Oid && f.RunId == run.Id).ExecuteDeleteAsync(CancellationToken.None);
        }
    }

    /// <summary>Still what it was found to be; a row without a claim is marked deleted here, before its bytes go.</summary>
    private async Task<bool> IsStillLeftoverAsync(Leftover leftover, DateTimeOffset now, CancellationToken cancellationToken) => leftover.Kind switch
    {
        LeftoverKind.FileWithoutRow => !await db.Objects.AnyAsync(o => o.Oid == leftover.Oid, cancellationToken),
        LeftoverKind.DeletedButStored => await db.Objects.AnyAsync(o => o.Oid == leftover.Oid && o.State == ObjectState.Deleted, cancellationToken),
        _ => await db.Objects
            .Where(o => o.Oid == leftover.Oid && (o.State == ObjectState.Live || o.State == ObjectState.Pending)
                && !db.RepoObjects.Any(c => c.Oid == o.Oid) && !db.Set<TrashEntry>().Any(t => t.Oid == o.Oid && t.State == TrashState.Trashed))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Deleted).SetProperty(o => o.StateChangedAt, now), cancellationToken) > 0,
    };
}
