using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;
using StorageServer.Auth;
using StorageServer.Retention.Policies;

namespace StorageServer.Retention.Api;

/// <summary><c>/api/retention/policies</c>: create, list, read, replace and delete policies; every change audited with before and after.</summary>
public static class PolicyEndpoints
{
    public static void MapRetentionPolicyEndpoints(this RouteGroupBuilder retention)
    {
        var group = retention.MapGroup("/policies");
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPut("/{id:long}", ReplaceAsync);
        group.MapDelete("/{id:long}", DeleteAsync);
    }

    private static async Task<Ok<List<PolicyResponse>>> ListAsync(RetentionPolicyService policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(await policies.ListAsync(cancellationToken));

    private static async Task<Results<Ok<PolicyResponse>, NotFound<ApiError>>> GetAsync(long id, RetentionPolicyService policies, CancellationToken cancellationToken) =>
        await policies.FindAsync(id, cancellationToken) is { } policy
            ? TypedResults.Ok(policy)
            : TypedResults.NotFound(new ApiError($"Retention policy {id} not found."));

    private static async Task<Results<Created<PolicyResponse>, BadRequest<ApiError>>> CreateAsync(
        PolicyRequest request, RetentionPolicyService policies, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await policies.CreateAsync(request, context.User.UserName(), cancellationToken);
        return result.Policy is { } policy
            ? TypedResults.Created($"/api/retention/policies/{policy.Id}", policy)
            : TypedResults.BadRequest(new ApiError(result.Error!));
    }

    private static async Task<Results<Ok<PolicyResponse>, BadRequest<ApiError>, NotFound<ApiError>>> ReplaceAsync(
        long id, PolicyRequest request, RetentionPolicyService policies, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await policies.ReplaceAsync(id, request, context.User.UserName(), cancellationToken);
        if (result.Policy is { } policy)
        {
            return TypedResults.Ok(policy);
        }
        return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.BadRequest(new ApiError(result.Error!));
    }

    private static async Task<Results<NoContent, NotFound<ApiError>>> DeleteAsync(
        long id, RetentionPolicyService policies, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await policies.DeleteAsync(id, context.User.UserName(), cancellationToken);
        return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.NoContent();
    }
}
