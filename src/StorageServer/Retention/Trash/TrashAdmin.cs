using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Retention.Api;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Trash;

/// <summary>Outcome of a restore: the entry, or why nothing was restored.</summary>
public sealed record TrashRestoreResult(TrashEntryResponse? Entry, string? Error, bool NotFound = false);

/// <summary>
/// The trash as admins see it, for the admin API and the console: listing, and restore of a
/// trashed claim (audited as <c>retention.trash.restore</c>).
/// </summary>
public sealed class TrashAdmin(StorageDbContext db, TrashService trash, AuditLog audit)
{
    public static readonly string[] States = ["all", .. Enum.GetNames<TrashState>().Select(n => n.ToLowerInvariant())];

    /// <summary>Null when <paramref name="state"/> is not one of <see cref="States"/>.</summary>
    public async Task<List<TrashEntryResponse>?> ListAsync(string? state, string? repository, string? oid, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Set<TrashEntry>().AsNoTracking();
        if (!string.IsNullOrEmpty(state) && state != "all")
        {
            if (!Enum.TryParse<TrashState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return null;
            }
            query = query.Where(t => t.State == parsed);
        }
        var names = await db.Repositories.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        if (!string.IsNullOrEmpty(repository))
        {
            var id = names.FirstOrDefault(n => n.Value == repository).Key;
            query = query.Where(t => t.RepositoryId == id);
        }
        if (!string.IsNullOrEmpty(oid))
        {
            query = query.Where(t => t.Oid == oid);
        }
        var entries = await query.OrderByDescending(t => t.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(cancellationToken);
        return entries.Select(t => Response(t, names.GetValueOrDefault(t.RepositoryId, "?"))).ToList();
    }

    public async Task<TrashRestoreResult> RestoreAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var restored = await trash.RestoreAsync(id, actor, cancellationToken);
        var entry = await db.Set<TrashEntry>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (restored is null || entry is null)
        {
            return new TrashRestoreResult(null, $"Trash entry {id} not found.", NotFound: true);
        }
        var name = await db.Repositories.AsNoTracking().Where(r => r.Id == entry.RepositoryId).Select(r => r.Name).SingleAsync(cancellationToken);
        if (restored == false && entry.State == TrashState.Trashed)
        {
            return new TrashRestoreResult(null, $"Trash entry {id}: a retention sweep is deleting this object right now; nothing was restored. Look again once the sweep ends.");
        }
        if (restored == false)
        {
            return new TrashRestoreResult(null, $"Trash entry {id} is {entry.State.ToString().ToLowerInvariant()}, not in the trash any more: nothing to restore.");
        }
        await audit.AppendAsync(actor, "retention.trash.restore", $"{name}@{entry.Oid}", new { trashId = id, entry.RunId }, cancellationToken);
        return new TrashRestoreResult(Response(entry, name), null);
    }

    private static TrashEntryResponse Response(TrashEntry t, string repository) => new(
        t.Id, t.RunId, repository, t.Oid, t.Size, t.Path, t.State.ToString().ToLowerInvariant(), t.TrashedAt, t.RestoreUntil, t.ResolvedAt, t.ResolvedBy, t.SweepRunId);
}
