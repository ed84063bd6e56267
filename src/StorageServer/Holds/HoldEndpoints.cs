using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;
using StorageServer.Auth;

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
        CreateHoldRequest request, LegalHoldService holds, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await holds.CreateAsync(request, context.User.UserName(), cancellationToken);
        if (result.Hold is null)
        {
            return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.BadRequest(new ApiError(result.Error!));
        }
        return TypedResults.Created($"/api/holds/{result.Hold.Id}", await holds.DescribeAsync(result.Hold, cancellationToken));
    }

    private static async Task<Results<Ok<List<HoldResponse>>, BadRequest<ApiError>>> ListAsync(
        LegalHoldService holds, CancellationToken cancellationToken, string state = "active") =>
        await holds.ListAsync(state, cancellationToken) is { } list
            ? TypedResults.Ok(list)
            : TypedResults.BadRequest(new ApiError("state must be active, released or all."));

    private static async Task<Results<Ok<HoldResponse>, NotFound<ApiError>>> GetAsync(long id, LegalHoldService holds, CancellationToken cancellationToken) =>
        await holds.FindAsync(id, cancellationToken) is { } hold ? TypedResults.Ok(hold) : TypedResults.NotFound(new ApiError($"Hold {id} not found."));

    private static async Task<Results<Ok<HoldResponse>, BadRequest<ApiError>, NotFound<ApiError>>> ReleaseAsync(
        long id, ReleaseHoldRequest request, LegalHoldService holds, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await holds.ReleaseAsync(id, request.Reason, context.User.UserName(), cancellationToken);
        if (result.Hold is null)
        {
            return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.BadRequest(new ApiError(result.Error!));
        }
        return TypedResults.Ok(await holds.DescribeAsync(result.Hold, cancellationToken));
    }
}
