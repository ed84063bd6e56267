using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Admin;

/// <summary><c>/api/tokens</c>: issue, list and revoke personal access tokens.</summary>
public static class TokenEndpoints
{
    private const string TokenPrefix = "ss_pat_";

    public static RouteGroupBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tokens").RequireServerAdmin().WithTags("Tokens");
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id:long}", RevokeAsync);
        return group;
    }

    private static async Task<Results<Created<CreatedTokenResponse>, BadRequest<ApiError>>> CreateAsync(
        CreateTokenRequest request, StorageDbContext db, TimeProvider clock, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.User) || request.User.Length > 100 || request.User.Any(char.IsControl))
        {
            return TypedResults.BadRequest(new ApiError("user is required (at most 100 printable characters)"));
        }
        if (!RepoScopes.TryCreate(request.Scopes, out var scopes, out var error))
        {
            return TypedResults.BadRequest(new ApiError(error!));
        }
        var now = clock.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now)
        {
            return TypedResults.BadRequest(new ApiError("expiresAt must be in the future"));
        }
        var secret = SecretFiles.RandomToken(TokenPrefix);
        var token = new AccessToken
        {
            Hash = TokenHasher.Hash(secret),
            User = request.User,
            ScopesJson = scopes.ToJson(),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt,
        };
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(context.User.UserName(), "token.create", $"token:{token.Id}", new { token.User, Scopes = ScopeStrings(scopes), token.ExpiresAt }, cancellationToken);
        return TypedResults.Created($"/api/tokens/{token.Id}", new CreatedTokenResponse(token.Id, secret, token.User, ScopeStrings(scopes), token.ExpiresAt));
    }

    private static async Task<Ok<List<TokenResponse>>> ListAsync(StorageDbContext db, CancellationToken cancellationToken)
    {
        var tokens = await db.AccessTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(tokens.Select(t => new TokenResponse(t.Id, t.User, ScopeStrings(RepoScopes.FromJson(t.ScopesJson)), t.CreatedAt, t.ExpiresAt, t.RevokedAt)).ToList());
    }

    private static async Task<Results<NoContent, NotFound<ApiError>>> RevokeAsync(
        long id, StorageDbContext db, TimeProvider clock, AuditLog audit, TransferTokenParents parents, HttpContext context, CancellationToken cancellationToken)
    {
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return TypedResults.NotFound(new ApiError($"Token {id} not found."));
        }
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(context.User.UserName(), "token.revoke", $"token:{id}", new { token.User }, cancellationToken);
        }
        parents.Forget(CredentialIds.ForToken(id));
        return TypedResults.NoContent();
    }

    private static Dictionary<string, string> ScopeStrings(RepoScopes scopes) =>
        scopes.Levels.ToDictionary(p => p.Key, p => RepoScopes.FormatLevel(p.Value));
}
