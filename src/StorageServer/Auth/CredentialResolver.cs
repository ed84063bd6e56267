using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Auth;

/// <param name="Kind"><c>admin</c>, <c>token</c> or <c>jwt</c>.</param>
/// <param name="TokenId">The personal access token's id, for <c>token</c>.</param>
/// <param name="ExpiresAt">When the credential stops being valid, if it says.</param>
public sealed record ResolvedCredential(System.Security.Claims.ClaimsPrincipal Principal, string Kind, long? TokenId, DateTimeOffset? ExpiresAt);

/// <summary>The credential, or why the secret was refused.</summary>
public sealed record CredentialCheck(ResolvedCredential? Credential, string? Failure);

/// <summary>
/// What a secret authenticates as: the admin token, a JWT of the configured issuer, or a personal
/// access token (transfer tokens are the request handler's own business). One definition for API
/// requests (<see cref="TokenAuthenticationHandler"/>) and console sign-in.
/// </summary>
internal sealed class CredentialResolver(AdminCredential admin, StorageDbContext db, JwtCredentialValidator jwt, TokenUsage usage, TimeProvider clock)
{
    public async Task<CredentialCheck> ResolveAsync(string secret, CancellationToken cancellationToken)
    {
        if (admin.Matches(secret))
        {
            return Accepted(StoragePrincipals.ForScopes(AdminCredential.UserName, RepoScopes.ServerAdmin, "admin", CredentialIds.ForAdmin(admin.Hash)), "admin", null, null);
        }
        if (jwt.LooksLikeJwt(secret))
        {
            var principal = await jwt.ValidateAsync(secret);
            return principal is null
                ? new CredentialCheck(null, "JWT rejected")
                : Accepted(principal, "jwt", null, JwtCredentialValidator.ExpiresAt(secret));
        }
        var hash = TokenHasher.Hash(secret);
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null || (token.ExpiresAt is { } expires && expires <= clock.GetUtcNow()))
        {
            return new CredentialCheck(null, "Unknown, revoked or expired token");
        }
        await usage.RecordAsync(db, token.Id, token.LastUsedAt, cancellationToken);
        return Accepted(StoragePrincipals.ForScopes(token.User, RepoScopes.FromJson(token.ScopesJson), "token", CredentialIds.ForToken(token.Id), token.ExpiresAt),
            "token", token.Id, token.ExpiresAt);
    }

    private static CredentialCheck Accepted(System.Security.Claims.ClaimsPrincipal principal, string kind, long? tokenId, DateTimeOffset? expiresAt) =>
        new(new ResolvedCredential(principal, kind, tokenId, expiresAt), null);
}
