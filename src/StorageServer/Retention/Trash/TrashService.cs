using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Sweeping;

namespace StorageServer.Retention.Trash;

/// <summary>A repository's claim a run decided to reclaim.</summary>
public sealed record TrashCandidate(long RepositoryId, string Oid, long Size, string? Path);

/// <summary>
/// Moves claims into the trash and back. Trashing removes the repository's claim (its downloads
/// answer 404 from then on) and keeps its fields in <c>retention_trash</c>; when no claim is left
/// the object itself becomes <see cref="ObjectState.Trashed"/>. Restoring or reviving puts the
/// claim back and makes a trashed object live again.
/// </summary>
public sealed class TrashService(StorageDbContext db, UploadLeases leases, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<TrashService> logger)
{
    public async Task<List<TrashEntry>> TrashAsync(long runId, IReadOnlyList<TrashCandidate> candidates, CancellationToken cancellationToken)
    {
        var trashed = new List<TrashEntry>();
        foreach (var candidate in candidates)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claim = await db.RepoObjects.SingleOrDefaultAsync(c => c.RepositoryId == candidate.RepositoryId && c.Oid == candidate.Oid, cancellationToken);
            // Re-checked here, not only when planned: a push landing meanwhile marks its tip's
            // objects referenced, and an upload running meanwhile holds a lease.
            if (claim is null
                || await db.Set<Entities.Reachability>().AnyAsync(r => r.RepositoryId == candidate.RepositoryId && r.Oid == candidate.Oid && r.ReferencedByTip, cancellationToken)
                || await leases.IsLeasedAsync(db, candidate.Oid, now, cancellationToken))
            {
                continue;
            }
            var entry = new TrashEntry
            {
                RunId = runId, RepositoryId = claim.RepositoryId, Oid = claim.Oid, Size = candidate.Size, Path = candidate.Path,
                UploadedBy = claim.UploadedBy, UploadedAt = claim.UploadedAt, FirstRef = claim.FirstRef,
                TrashedAt = now, RestoreUntil = now + options.Value.TrashWindow, State = TrashState.Trashed,
            };
            db.Add(entry);
            db.RepoObjects.Remove(claim);
            await db.SaveChangesAsync(cancellationToken);
            if (!await db.RepoObjects.AnyAsync(c => c.Oid == candidate.Oid, cancellationToken))
            {
                await db.Objects.Where(o => o.Oid == candidate.Oid && o.State == ObjectState.Live)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Trashed).SetProperty(o => o.StateChangedAt, now), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            trashed.Add(entry);
        }
        return trashed;
    }

    /// <summary>An admin's restore; null when the entry does not exist, false when it is no longer in the trash.</summary>
    public async Task<bool?> RestoreAsync(long entryId, string actor, CancellationToken cancellationToken)
    {
        var entry = await db.Set<TrashEntry>().SingleOrDefaultAsync(t => t.Id == entryId, cancellationToken);
        if (entry is null)
        {
            return null;
        }
        if (entry.State != TrashState.Trashed)
        {
            return false;
        }
        return await PutBackAsync(entry, TrashState.Restored, actor, cancellationToken);
    }

    /// <summary>Revives the trashed claims of <paramref name="repositoryId"/> on <paramref name="oids"/>; returns how many.</summary>
    public async Task<int> ReviveAsync(long repositoryId, IReadOnlyCollection<string> oids, string reason, CancellationToken cancellationToken)
    {
        // The common case after a push: nothing of this repository is in the trash.
        if (oids.Count == 0 || !await db.Set<TrashEntry>().AnyAsync(t => t.RepositoryId == repositoryId && t.State == TrashState.Trashed, cancellationToken))
        {
            return 0;
        }
        var revived = 0;
        foreach (var chunk in oids.Chunk(500))
        {
            var entries = await db.Set<TrashEntry>()
                .Where(t => t.RepositoryId == repositoryId && t.State == TrashState.Trashed && chunk.Contains(t.Oid)).ToListAsync(cancellationToken);
            foreach (var entry in entries)
            {
                if (await PutBackAsync(entry, TrashState.Revived, reason, cancellationToken))
                {
                    revived++;
                }
            }
        }
        return revived;
    }

    /// <summary>
    /// Puts the claim back (unless an upload already did), makes a trashed object live and resolves
    /// the entry. Holds an upload lease meanwhile, exactly as an upload does: a sweep deleting the
    /// object either sees the lease and keeps it, or has finished before the entry is re-read here.
    /// False when the entry or its object left the trash first (swept, restored, revived).
    /// </summary>
    public async Task<bool> PutBackAsync(TrashEntry entry, TrashState state, string by, CancellationToken cancellationToken)
    {
        await using var lease = await leases.AcquireAsync(entry.Oid, cancellationToken);
        if (lease is null)
        {
            return false;
        }
        await db.Entry(entry).ReloadAsync(cancellationToken);
        if (entry.State != TrashState.Trashed
            || await db.Objects.AnyAsync(o => o.Oid == entry.Oid && o.State != ObjectState.Trashed && o.State != ObjectState.Live, cancellationToken))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.RepoObjects.AnyAsync(c => c.RepositoryId == entry.RepositoryId && c.Oid == entry.Oid, cancellationToken))
        {
            db.RepoObjects.Add(new RepoObject { RepositoryId = entry.RepositoryId, Oid = entry.Oid, UploadedBy = entry.UploadedBy, UploadedAt = entry.UploadedAt, FirstRef = entry.FirstRef });
        }
        await db.Objects.Where(o => o.Oid == entry.Oid && o.State == ObjectState.Trashed)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Live).SetProperty(o => o.StateChangedAt, now), cancellationToken);
        (entry.State, entry.ResolvedAt, entry.ResolvedBy) = (state, now, by);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Trashed claim {TrashId} of repository {RepositoryId} on {Oid} {State} ({By})", entry.Id, entry.RepositoryId, entry.Oid, state, by);
        return true;
    }
}
