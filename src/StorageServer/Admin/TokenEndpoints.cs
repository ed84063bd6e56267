using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Auth;

namespace StorageServer.Admin;

/// <summary><c>/api/tokens</c>: issue, list and revoke personal access tokens.</summary>
public static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tokens").RequireServerAdmin().WithTags("Tokens");
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id:long}", RevokeAsync);
        return group;
    }

    private static async Task<Results<Created<CreatedTokenResponse>, BadRequest<ApiError>>> CreateAsync(
        CreateTokenRequest request, AccessTokenService tokens, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await tokens.IssueAsync(request.User, request.Scopes, request.ExpiresAt, context.User.UserName(), cancellationToken);
        if (result.Issued is not { } issued)
        {
            return TypedResults.BadRequest(new ApiError(result.Error!));
        }
        var token = issued.Token;
        return TypedResults.Created($"/api/tokens/{token.Id}",
            new CreatedTokenResponse(token.Id, issued.Secret, token.User, AccessTokenService.ScopeStrings(token), token.ExpiresAt));
    }

    private static async Task<Ok<List<TokenResponse>>> ListAsync(AccessTokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.ListAsync(cancellationToken));

    private static async Task<Results<NoContent, NotFound<ApiError>>> RevokeAsync(
        long id, AccessTokenService tokens, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await tokens.RevokeAsync(id, context.User.UserName(), cancellationToken);
        return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.NoContent();
    }
}
