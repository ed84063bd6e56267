using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Trash;

namespace StorageServer.Retention.Api;

public sealed record TrashEntryResponse(
    long Id, long RunId, string Repository, string Oid, long Size, string? Path, string State,
    DateTimeOffset TrashedAt, DateTimeOffset RestoreUntil, DateTimeOffset? ResolvedAt, string? ResolvedBy, long? SweepRunId);

/// <summary><c>/api/retention/trash</c>: what retention trashed, and restore of a trashed claim (audited).</summary>
public static class TrashEndpoints
{
    public static void MapRetentionTrashEndpoints(this RouteGroupBuilder retention)
    {
        var group = retention.MapGroup("/trash");
        group.MapGet("/", ListAsync);
        group.MapPost("/{id:long}/restore", RestoreAsync);
    }

    private static async Task<Results<Ok<List<TrashEntryResponse>>, BadRequest<ApiError>>> ListAsync(
        StorageDbContext db, string? state, string? repository, string? oid, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Set<TrashEntry>().AsNoTracking();
        if (!string.IsNullOrEmpty(state) && state != "all")
        {
            if (!Enum.TryParse<TrashState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return TypedResults.BadRequest(new ApiError($"state must be one of: all, {string.Join(", ", Enum.GetNames<TrashState>().Select(n => n.ToLowerInvariant()))}."));
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
        return TypedResults.Ok(entries.Select(t => Response(t, names.GetValueOrDefault(t.RepositoryId, "?"))).ToList());
    }

    private static async Task<Results<Ok<TrashEntryResponse>, NotFound<ApiError>, Conflict<ApiError>>> RestoreAsync(
        long id, TrashService trash, StorageDbContext db, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var user = context.User.UserName();
        var restored = await trash.RestoreAsync(id, user, cancellationToken);
        var entry = await db.Set<TrashEntry>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (restored is null || entry is null)
        {
            return TypedResults.NotFound(new ApiError($"Trash entry {id} not found."));
        }
        var name = await db.Repositories.AsNoTracking().Where(r => r.Id == entry.RepositoryId).Select(r => r.Name).SingleAsync(cancellationToken);
        if (restored == false && entry.State == TrashState.Trashed)
        {
            return TypedResults.Conflict(new ApiError($"Trash entry {id}: a retention sweep is deleting this object right now; nothing was restored. Look again once the sweep ends."));
        }
        if (restored == false)
        {
            return TypedResults.Conflict(new ApiError($"Trash entry {id} is {entry.State.ToString().ToLowerInvariant()}, not in the trash any more: nothing to restore."));
        }
        await audit.AppendAsync(user, "retention.trash.restore", $"{name}@{entry.Oid}", new { trashId = id, entry.RunId }, cancellationToken);
        return TypedResults.Ok(Response(entry, name));
    }

    private static TrashEntryResponse Response(TrashEntry t, string repository) => new(
        t.Id, t.RunId, repository, t.Oid, t.Size, t.Path, t.State.ToString().ToLowerInvariant(), t.TrashedAt, t.RestoreUntil, t.ResolvedAt, t.ResolvedBy, t.SweepRunId);
}
