using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;
using StorageServer.Auth;
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
        TrashAdmin trash, string? state, string? repository, string? oid, int? limit, CancellationToken cancellationToken) =>
        await trash.ListAsync(state, repository, oid, limit, cancellationToken) is { } entries
            ? TypedResults.Ok(entries)
            : TypedResults.BadRequest(new ApiError($"state must be one of: {string.Join(", ", TrashAdmin.States)}."));

    private static async Task<Results<Ok<TrashEntryResponse>, NotFound<ApiError>, Conflict<ApiError>>> RestoreAsync(
        long id, TrashAdmin trash, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await trash.RestoreAsync(id, context.User.UserName(), cancellationToken);
        if (result.Entry is { } entry)
        {
            return TypedResults.Ok(entry);
        }
        return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.Conflict(new ApiError(result.Error!));
    }
}
