using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.Lfs;
using StorageServer.Protocol;
using StorageServer.Protocol.Locks;

namespace StorageServer.Locks;

/// <summary>
/// The Git LFS File Locking API under the LFS base (<c>docs/api/locking.md</c>), shaped by
/// what git-lfs 3.3 really sends and expects: string ids, 409 with the existing lock, both
/// verify arrays always present, 403 on someone else's lock without force.
/// </summary>
public static class LockEndpoints
{
    public static RouteGroupBuilder MapLockEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapLfsGroup().WithTags("Locks");
        group.MapPost("/locks", CreateAsync).WithName("CreateLock");
        group.MapGet("/locks", ListAsync).WithName("ListLocks");
        group.MapPost("/locks/verify", VerifyAsync).WithName("VerifyLocks");
        group.MapPost("/locks/{id}/unlock", UnlockAsync).WithName("Unlock");
        return group;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, RepoAccess access, LockService locks, IOptions<LfsOptions> options, CancellationToken cancellationToken)
    {
        var granted = await access.AuthorizeAsync(context, LfsRoutes.RepositoryName(context), AccessLevel.Write, cancellationToken);
        if (granted.Repository is not { } repository)
        {
            return LfsResults.Denied(granted.Denial!.Value);
        }
        var (request, error) = await LfsJsonBody.ReadAsync(context.Request, LfsJsonContext.Default.CreateLockRequest, options.Value.MaxJsonBodyBytes, cancellationToken);
        if (request is null)
        {
            return error!;
        }
        if (LockPaths.Validate(request.Path) is { } invalid)
        {
            return LfsResults.Error(StatusCodes.Status422UnprocessableEntity, invalid);
        }
        var outcome = await locks.CreateAsync(repository, request.Path!, request.Ref?.Name, context.User.UserName(), cancellationToken);
        if (!outcome.Created)
        {
            var conflict = new LockResponse(outcome.Lock.ToLfs()) { Message = $"already locked by {outcome.Lock.Owner}" };
            return LfsResults.Json(conflict, LfsJsonContext.Default.LockResponse, StatusCodes.Status409Conflict);
        }
        return LfsResults.Json(new LockResponse(outcome.Lock.ToLfs()), LfsJsonContext.Default.LockResponse, StatusCodes.Status201Created);
    }

    // No `limit` unless `git lfs locks --limit`; `refspec` is accepted and ignored: locks are global across branches.
    private static async Task<IResult> ListAsync(
        HttpContext context, RepoAccess access, LockService locks,
        string? path, string? id, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var granted = await access.AuthorizeAsync(context, LfsRoutes.RepositoryName(context), AccessLevel.Read, cancellationToken);
        if (granted.Repository is not { } repository)
        {
            return LfsResults.Denied(granted.Denial!.Value);
        }
        if (!LockPageRequest.TryCreate(cursor, limit, out var page, out var invalid))
        {
            return LfsResults.Error(StatusCodes.Status422UnprocessableEntity, invalid);
        }
        var result = await locks.ListAsync(repository.Id, path, id, page, cancellationToken);
        var body = new LockListResponse(result.Locks.ToLfs()) { NextCursor = result.Next?.Encode() };
        return LfsResults.Json(body, LfsJsonContext.Default.LockListResponse);
    }

    // Called by the pre-push hook: Write access, like the push it guards.
    private static async Task<IResult> VerifyAsync(
        HttpContext context, RepoAccess access, LockService locks, IOptions<LfsOptions> options, CancellationToken cancellationToken)
    {
        var granted = await access.AuthorizeAsync(context, LfsRoutes.RepositoryName(context), AccessLevel.Write, cancellationToken);
        if (granted.Repository is not { } repository)
        {
            return LfsResults.Denied(granted.Denial!.Value);
        }
        var (request, error) = await LfsJsonBody.ReadAsync(context.Request, LfsJsonContext.Default.VerifyLocksRequest, options.Value.MaxJsonBodyBytes, cancellationToken);
        if (request is null)
        {
            return error!;
        }
        if (!LockPageRequest.TryCreate(request.Cursor, request.Limit, out var page, out var invalid))
        {
            return LfsResults.Error(StatusCodes.Status422UnprocessableEntity, invalid);
        }
        var result = await locks.ListAsync(repository.Id, path: null, id: null, page, cancellationToken);
        var user = context.User.UserName();
        var ours = result.Locks.Where(l => string.Equals(l.Owner, user, StringComparison.Ordinal)).ToLfs();
        var theirs = result.Locks.Where(l => !string.Equals(l.Owner, user, StringComparison.Ordinal)).ToLfs();
        var body = new VerifyLocksResponse(ours, theirs) { NextCursor = result.Next?.Encode() };
        return LfsResults.Json(body, LfsJsonContext.Default.VerifyLocksResponse);
    }

    private static async Task<IResult> UnlockAsync(
        string id, HttpContext context, RepoAccess access, LockService locks, IOptions<LfsOptions> options, CancellationToken cancellationToken)
    {
        var granted = await access.AuthorizeAsync(context, LfsRoutes.RepositoryName(context), AccessLevel.Write, cancellationToken);
        if (granted.Repository is not { } repository)
        {
            return LfsResults.Denied(granted.Denial!.Value);
        }
        var (request, error) = await LfsJsonBody.ReadAsync(context.Request, LfsJsonContext.Default.UnlockRequest, options.Value.MaxJsonBodyBytes, cancellationToken);
        if (request is null)
        {
            return error!;
        }
        var outcome = await locks.UnlockAsync(repository, id, context.User.UserName(), granted.Level, request.Force, cancellationToken);
        return outcome.Status switch
        {
            UnlockStatus.Unlocked => LfsResults.Json(new LockResponse(outcome.Lock!.ToLfs()), LfsJsonContext.Default.LockResponse),
            UnlockStatus.NotOwner => LfsResults.Error(StatusCodes.Status403Forbidden,
                $"{outcome.Lock!.Path} is locked by {outcome.Lock.Owner}, not by you; unlocking someone else's lock needs --force and admin access to the repository."),
            UnlockStatus.ForceNeedsAdmin => LfsResults.Error(StatusCodes.Status403Forbidden,
                $"{outcome.Lock!.Path} is locked by {outcome.Lock.Owner}; force-unlocking someone else's lock needs admin access to the repository."),
            _ => LfsResults.Error(StatusCodes.Status404NotFound, $"Lock {id} not found."),
        };
    }
}
