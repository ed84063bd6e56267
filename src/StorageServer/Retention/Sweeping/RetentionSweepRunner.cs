using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Holds;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Keeping;
using StorageServer.Retention.Runs;
using StorageServer.Retention.Trash;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// The sweep: for every trashed claim past its restore window, re-decide at that moment with
/// <see cref="ObjectKeepRules"/> — the same definition the mark used, on the repository's refs,
/// policies, pointer index and holds as they are now (a policy widened, a hold placed, a ref pushed
/// since the mark all count) — and revive what is kept; then, unless its repository claims it again
/// (re-upload), another repository claims it, or an upload is running, fence it, mark it deleted
/// and delete its bytes. The claims stay as tombstones so downloads answer 410. Revived claims are
/// counted as <c>skipped_revived</c>.
/// </summary>
public sealed class RetentionSweepRunner(
    StorageDbContext db, IObjectStore store, TrashService trash, LegalHoldQuery holds, KeepStateBuilder states,
    RetentionRunStore runs, UploadLeases leases, TimeProvider clock, ILogger<RetentionSweepRunner> logger)
{
    // A repository's state is read when first needed and again whenever a ref moved or a policy
    // changed, at most this often per sweep: past that its objects wait in the trash for the next
    // sweep, so a repository pushed to all the time cannot make a sweep rebuild it per object.
    private const int MaxStateReads = 5;

    private readonly Dictionary<long, (RepositoryKeepState State, int Reads)> _states = [];

    public async Task<RetentionRun> RunAsync(string? requestedBy, long? jobRunId, Func<long, long, string, Task>? progress, CancellationToken cancellationToken)
    {
        var run = await runs.StartAsync(RetentionRunKind.Sweep, false, null, requestedBy, jobRunId, cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            await leases.DeleteExpiredAsync(db, now, cancellationToken);
            await FinishAbandonedFencesAsync(run, cancellationToken);
            run.SkippedRevived += await db.Set<TrashEntry>()
                .Where(t => t.State == TrashState.Revived && t.SweepRunId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SweepRunId, run.Id), cancellationToken);
            var due = await db.Set<TrashEntry>().AsNoTracking()
                .Where(t => t.State == TrashState.Trashed && t.RestoreUntil <= now).OrderBy(t => t.Id).ToListAsync(cancellationToken);
            var repositories = await db.Repositories.AsNoTracking().ToDictionaryAsync(r => r.Id, cancellationToken);
            var groups = due.GroupBy(t => t.Oid, StringComparer.Ordinal).ToList();
            for (var i = 0; i < groups.Count; i++)
            {
                try
                {
                    await SweepObjectAsync(run, groups[i].Key, groups[i].ToList(), repositories, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    run.Errors++;
                    logger.LogError(e, "Sweeping {Oid} failed; it stays in the trash for the next sweep", groups[i].Key);
                }
                db.ChangeTracker.Clear();
                if (progress is not null)
                {
                    await progress(i + 1, groups.Count, groups[i].Key);
                }
            }
            await runs.FinishAsync(run, null, cancellationToken);
            logger.LogInformation("Retention sweep {RunId}: {Swept} objects deleted ({Bytes} bytes), {Released} claims released, {Revived} revived, {Busy} busy, {Errors} errors",
                run.Id, run.Swept, run.SweptBytes, run.ClaimsReleased, run.SkippedRevived, run.SkippedBusy, run.Errors);
            return run;
        }
        catch (Exception e)
        {
            await runs.FinishAsync(run, e is OperationCanceledException ? "cancelled" : e.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task SweepObjectAsync(
        RetentionRun run, string oid, List<TrashEntry> entries, Dictionary<long, Repository> repositories, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // 1. Kept after all, by the rules and the state of this moment (a running upload is step 4's).
        var hold = await holds.FindHeldAsync(oid, cancellationToken);
        var revive = new List<(TrashEntry Entry, string Why)>();
        foreach (var entry in entries)
        {
            if (await CurrentStateAsync(repositories[entry.RepositoryId], cancellationToken) is not { } state)
            {
                run.SkippedBusy++;
                return;
            }
            var verdict = ObjectKeepRules.Decide(state, oid, entry.UploadedAt, leased: false, hold, now);
            if (verdict.Keep)
            {
                revive.Add((entry, verdict.Detail));
            }
            else if (await db.RepoObjects.AnyAsync(c => c.RepositoryId == entry.RepositoryId && c.Oid == oid, cancellationToken))
            {
                revive.Add((entry, "uploaded again"));
            }
        }
        foreach (var (entry, why) in revive)
        {
            await trash.PutBackAsync(await Tracked(entry), TrashState.Revived, $"sweep {run.Id}: {why}", cancellationToken);
            await MarkSweptByAsync(entry.Id, run.Id, cancellationToken);
            run.SkippedRevived++;
        }
        var remaining = entries.Except(revive.Select(r => r.Entry)).ToList();
        if (remaining.Count == 0)
        {
            return;
        }
        // 2. Other repositories still claim the bytes: only these claims go.
        if (await db.RepoObjects.AnyAsync(c => c.Oid == oid, cancellationToken))
        {
            foreach (var entry in remaining)
            {
                await ResolveAsync(entry.Id, TrashState.ClaimReleased, run.Id, cancellationToken);
                run.ClaimsReleased++;
            }
            return;
        }
        // 3. Another repository's claim is still inside its restore window: wait for it.
        if (await db.Set<TrashEntry>().AnyAsync(t => t.Oid == oid && t.State == TrashState.Trashed && t.RestoreUntil > now, cancellationToken))
        {
            return;
        }
        // 4. An upload of the same bytes is running: leave it all for the next sweep.
        if (await leases.IsLeasedAsync(db, oid, now, cancellationToken))
        {
            run.SkippedBusy++;
            return;
        }
        await DeleteFencedAsync(run, oid, remaining, cancellationToken);
    }

    /// <summary>Fence, re-check leases and claims after the fence is visible, mark deleted, delete bytes, leave tombstone claims.</summary>
    private async Task DeleteFencedAsync(RetentionRun run, string oid, List<TrashEntry> entries, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        db.Add(new SweepFence { Oid = oid, RunId = run.Id, CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            run.SkippedBusy++;
            return;
        }
        db.ChangeTracker.Clear();
        try
        {
            if (await leases.IsLeasedAsync(db, oid, now, cancellationToken) || await db.RepoObjects.AnyAsync(c => c.Oid == oid, cancellationToken))
            {
                run.SkippedBusy++;
                return;
            }
            var size = await db.Objects.Where(o => o.Oid == oid).Select(o => o.Size).SingleOrDefaultAsync(cancellationToken);
            // Deleted already: an earlier sweep marked it and then failed to delete the bytes (only
            // the sweep marks objects deleted, and no claim or lease needs it): finish that delete.
            var marked = await db.Objects.Where(o => o.Oid == oid && (o.State == ObjectState.Trashed || o.State == ObjectState.Deleted))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Deleted).SetProperty(o => o.StateChangedAt, now), cancellationToken);
            if (marked == 0)
            {
                // Live again (restored, re-uploaded): revived. Restricted or purged by erasure: not
                // ours to delete, and not revived either; the trashed claims are simply let go.
                var state = await db.Objects.Where(o => o.Oid == oid).Select(o => (ObjectState?)o.State).SingleOrDefaultAsync(cancellationToken);
                if (state is ObjectState.Restricted or ObjectState.Purged)
                {
                    run.ClaimsReleased += entries.Count;
                }
                else
                {
                    run.SkippedRevived++;
                }
                foreach (var entry in entries)
                {
                    await ResolveAsync(entry.Id, TrashState.ClaimReleased, run.Id, cancellationToken);
                }
                return;
            }
            await store.DeleteAsync(Oid.Parse(oid), cancellationToken);
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var entry in entries)
                {
                    db.RepoObjects.Add(new RepoObject { RepositoryId = entry.RepositoryId, Oid = oid, UploadedBy = entry.UploadedBy, UploadedAt = entry.UploadedAt, FirstRef = entry.FirstRef });
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            db.ChangeTracker.Clear();
            foreach (var entry in entries)
            {
                await ResolveAsync(entry.Id, TrashState.Swept, run.Id, cancellationToken);
            }
            run.Swept++;
            run.SweptBytes += size;
            logger.LogInformation("Retention sweep {RunId} deleted {Oid} ({Size} bytes)", run.Id, oid, size);
        }
        finally
        {
            await db.Set<SweepFence>().Where(f => f.Oid == oid && f.RunId == run.Id).ExecuteDeleteAsync(CancellationToken.None);
        }
    }

    /// <summary>The repository's state as it is now; null when it changed more often during this sweep than it may be read again.</summary>
    private async Task<RepositoryKeepState?> CurrentStateAsync(Repository repository, CancellationToken cancellationToken)
    {
        var known = _states.TryGetValue(repository.Id, out var entry);
        if (known && await states.IsCurrentAsync(entry.State, cancellationToken))
        {
            return entry.State;
        }
        if (known && entry.Reads >= MaxStateReads)
        {
            return null;
        }
        var state = await states.ReadAsync(repository, cancellationToken);
        _states[repository.Id] = (state, entry.Reads + 1);
        return state;
    }

    /// <summary>Fences left by a sweep that died mid-delete: finish the delete if the object was marked deleted, else just lift the fence.</summary>
    private async Task FinishAbandonedFencesAsync(RetentionRun run, CancellationToken cancellationToken)
    {
        var stale = clock.GetUtcNow() - TimeSpan.FromMinutes(10);
        foreach (var fence in await db.Set<SweepFence>().AsNoTracking().Where(f => f.CreatedAt < stale).ToListAsync(cancellationToken))
        {
            if (await db.Objects.AnyAsync(o => o.Oid == fence.Oid && o.State == ObjectState.Deleted, cancellationToken))
            {
                await store.DeleteAsync(Oid.Parse(fence.Oid), cancellationToken);
            }
            await db.Set<SweepFence>().Where(f => f.Oid == fence.Oid).ExecuteDeleteAsync(cancellationToken);
            logger.LogWarning("Retention sweep {RunId} lifted the abandoned fence of run {FenceRunId} on {Oid}", run.Id, fence.RunId, fence.Oid);
        }
    }

    private async Task<TrashEntry> Tracked(TrashEntry entry) =>
        await db.Set<TrashEntry>().SingleAsync(t => t.Id == entry.Id);

    private Task<int> MarkSweptByAsync(long entryId, long runId, CancellationToken cancellationToken) =>
        db.Set<TrashEntry>().Where(t => t.Id == entryId).ExecuteUpdateAsync(s => s.SetProperty(t => t.SweepRunId, runId), cancellationToken);

    private async Task ResolveAsync(long entryId, TrashState state, long runId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.Set<TrashEntry>().Where(t => t.Id == entryId && t.State == TrashState.Trashed).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.State, state).SetProperty(t => t.ResolvedAt, now).SetProperty(t => t.ResolvedBy, $"sweep {runId}")
            .SetProperty(t => t.SweepRunId, runId), cancellationToken);
    }
}
