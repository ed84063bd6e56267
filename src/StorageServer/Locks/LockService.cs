using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Locks;

/// <summary>
/// File locks of a repository: one per exact path, across all branches (as every known LFS
/// server does). The unique index on (repository, path) is what makes locking race-safe; the
/// look-up before the insert only saves the common conflict an exception.
/// </summary>
public sealed class LockService(StorageDbContext db, TimeProvider clock, AuditLog audit, ILogger<LockService> logger)
{
    private const int MaxInsertAttempts = 3;

    /// <summary>Locks <paramref name="path"/> for <paramref name="owner"/>, or returns the lock already held on it.</summary>
    public async Task<CreateLockOutcome> CreateAsync(Repository repository, string path, string? refName, string owner, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await db.Locks.AsNoTracking()
                .SingleOrDefaultAsync(l => l.RepositoryId == repository.Id && l.Path == path, cancellationToken);
            if (existing is not null)
            {
                return new CreateLockOutcome(existing, Created: false);
            }
            var fileLock = new FileLock
            {
                Id = Guid.NewGuid().ToString("N"),
                RepositoryId = repository.Id,
                Path = path,
                Owner = owner,
                RefName = refName,
                // Whole seconds: what is stored, returned and put in cursors is the same instant.
                LockedAt = TruncateToSeconds(clock.GetUtcNow()),
            };
            db.Locks.Add(fileLock);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LockCreated(owner, repository.Name, path, fileLock.Id);
                return new CreateLockOutcome(fileLock, Created: true);
            }
            catch (DbUpdateException e) when (db.IsUniqueViolation(e) && attempt < MaxInsertAttempts)
            {
                // Someone locked the path between our look-up and insert: report their lock.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// A page of locks ordered by (locked_at, id), optionally only the one with
    /// <paramref name="id"/> and/or on <paramref name="path"/>.
    /// </summary>
    public async Task<LockPage> ListAsync(long repositoryId, string? path, string? id, LockPageRequest page, CancellationToken cancellationToken)
    {
        var query = db.Locks.AsNoTracking().Where(l => l.RepositoryId == repositoryId);
        if (!string.IsNullOrEmpty(path))
        {
            query = query.Where(l => l.Path == path);
        }
        if (!string.IsNullOrEmpty(id))
        {
            query = query.Where(l => l.Id == id);
        }
        if (page.After is { } after)
        {
            var at = after.LockedAt;
            var afterId = after.Id;
            query = query.Where(l => l.LockedAt > at || (l.LockedAt == at && string.Compare(l.Id, afterId) > 0));
        }
        // One extra row tells whether another page follows without a second query.
        var rows = await query.OrderBy(l => l.LockedAt).ThenBy(l => l.Id).Take(page.Limit + 1).ToListAsync(cancellationToken);
        if (rows.Count <= page.Limit)
        {
            return new LockPage(rows, Next: null);
        }
        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        return new LockPage(rows, new LockCursor(last.LockedAt, last.Id));
    }

    /// <summary>
    /// Releases lock <paramref name="id"/>. Its owner may always release it; anyone else needs
    /// <paramref name="force"/> and admin access to the repository.
    /// </summary>
    public async Task<UnlockOutcome> UnlockAsync(Repository repository, string id, string user, AccessLevel level, bool force, CancellationToken cancellationToken)
    {
        var fileLock = await db.Locks.AsNoTracking()
            .SingleOrDefaultAsync(l => l.RepositoryId == repository.Id && l.Id == id, cancellationToken);
        if (fileLock is null)
        {
            return new UnlockOutcome(UnlockStatus.NotFound, null);
        }
        var own = string.Equals(fileLock.Owner, user, StringComparison.Ordinal);
        if (!own && !force)
        {
            return new UnlockOutcome(UnlockStatus.NotOwner, fileLock);
        }
        if (!own && level < AccessLevel.Admin)
        {
            return new UnlockOutcome(UnlockStatus.ForceNeedsAdmin, fileLock);
        }
        // Conditional on the row still being there: two concurrent unlocks release it once.
        var deleted = await db.Locks.Where(l => l.RepositoryId == repository.Id && l.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return new UnlockOutcome(UnlockStatus.NotFound, null);
        }
        if (own)
        {
            logger.LockReleased(user, repository.Name, fileLock.Path, fileLock.Id);
        }
        else
        {
            logger.LockForceReleased(user, repository.Name, fileLock.Path, fileLock.Id, fileLock.Owner);
            // Breaking someone else's lock is an admin action, so it goes into the audit trail.
            await audit.AppendAsync(user, "lock.force-unlock", repository.Name, new { LockId = fileLock.Id, fileLock.Path, fileLock.Owner }, cancellationToken);
        }
        return new UnlockOutcome(UnlockStatus.Unlocked, fileLock);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}

/// <summary>The new lock when <see cref="Created"/>, else the lock that already holds the path.</summary>
public sealed record CreateLockOutcome(FileLock Lock, bool Created);

public enum UnlockStatus
{
    Unlocked,
    NotFound,
    NotOwner,
    ForceNeedsAdmin,
}

/// <summary>What unlocking did; <see cref="Lock"/> is the lock concerned, null when there is none.</summary>
public sealed record UnlockOutcome(UnlockStatus Status, FileLock? Lock);
