using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Holds;

/// <summary><c>/api/holds</c>: place, list and release legal holds.</summary>
public static class HoldEndpoints
{
    public static IServiceCollection AddLegalHolds(this IServiceCollection services) =>
        services.AddScoped<LegalHoldQuery>().AddScoped<LegalHoldService>();

    public static RouteGroupBuilder MapHoldEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/holds").RequireServerAdmin().WithTags("Legal holds");
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/{id:long}/release", ReleaseAsync);
        return group;
    }

    private static async Task<Results<Created<HoldResponse>, BadRequest<ApiError>, NotFound<ApiError>>> CreateAsync(
        CreateHoldRequest request, LegalHoldService holds, StorageDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await holds.CreateAsync(request, context.User.UserName(), cancellationToken);
        if (result.Hold is null)
        {
            return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.BadRequest(new ApiError(result.Error!));
        }
        var response = (await ToResponsesAsync(db, [result.Hold], cancellationToken))[0];
        return TypedResults.Created($"/api/holds/{result.Hold.Id}", response);
    }

    private static async Task<Results<Ok<List<HoldResponse>>, BadRequest<ApiError>>> ListAsync(
        StorageDbContext db, CancellationToken cancellationToken, string state = "active")
    {
        IQueryable<LegalHold>? query = state switch
        {
            "active" => db.LegalHolds.Where(h => h.ReleasedAt == null),
            "released" => db.LegalHolds.Where(h => h.ReleasedAt != null),
            "all" => db.LegalHolds,
            _ => null,
        };
        if (query is null)
        {
            return TypedResults.BadRequest(new ApiError("state must be active, released or all."));
        }
        var holds = await query.AsNoTracking().OrderBy(h => h.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(await ToResponsesAsync(db, holds, cancellationToken));
    }

    private static async Task<Results<Ok<HoldResponse>, NotFound<ApiError>>> GetAsync(long id, StorageDbContext db, CancellationToken cancellationToken)
    {
        var hold = await db.LegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, cancellationToken);
        return hold is null ? TypedResults.NotFound(new ApiError($"Hold {id} not found.")) : TypedResults.Ok((await ToResponsesAsync(db, [hold], cancellationToken))[0]);
    }

    private static async Task<Results<Ok<HoldResponse>, BadRequest<ApiError>, NotFound<ApiError>>> ReleaseAsync(
        long id, ReleaseHoldRequest request, LegalHoldService holds, StorageDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await holds.ReleaseAsync(id, request.Reason, context.User.UserName(), cancellationToken);
        if (result.Hold is null)
        {
            return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.BadRequest(new ApiError(result.Error!));
        }
        return TypedResults.Ok((await ToResponsesAsync(db, [result.Hold], cancellationToken))[0]);
    }

    private static async Task<List<HoldResponse>> ToResponsesAsync(StorageDbContext db, IReadOnlyList<LegalHold> holds, CancellationToken cancellationToken)
    {
        var ids = holds.Where(h => h.RepositoryId is not null).Select(h => h.RepositoryId!.Value).Distinct().ToList();
        var names = await db.Repositories.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        return holds.Select(h => new HoldResponse(
            h.Id, h.CaseReference, h.RepositoryId is { } repo ? names.GetValueOrDefault(repo) : null, h.PathGlob, h.Oid, h.Reason,
            h.CreatedBy, h.CreatedAt, h.ReleasedAt is null, h.ReleasedAt, h.ReleasedBy, h.ReleaseReason)).ToList();
    }
}
