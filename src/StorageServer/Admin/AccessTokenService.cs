using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Admin;

/// <summary>A newly issued token: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record IssuedToken(AccessToken Token, string Secret);

/// <summary>Outcome of a token command: the token, or why nothing changed.</summary>
public sealed record TokenCommandResult(IssuedToken? Issued, string? Error, bool NotFound = false);

/// <summary>Issues, lists and revokes personal access tokens, for the admin API and the console; issue and revoke are audited.</summary>
public sealed class AccessTokenService(StorageDbContext db, TimeProvider clock, AuditLog audit, TransferTokenParents transferParents)
{
    private const string TokenPrefix = "ss_pat_";

    public async Task<TokenCommandResult> IssueAsync(string? user, IReadOnlyDictionary<string, string>? scopeLevels, DateTimeOffset? expiresAt, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(user) || user.Length > 100 || user.Any(char.IsControl))
        {
            return Invalid("user is required (at most 100 printable characters)");
        }
        if (!RepoScopes.TryCreate(scopeLevels?.ToDictionary(), out var scopes, out var error))
        {
            return Invalid(error!);
        }
        var now = clock.GetUtcNow();
        if (expiresAt is { } expires && expires <= now)
        {
            return Invalid("expiresAt must be in the future");
        }
        var secret = SecretFiles.RandomToken(TokenPrefix);
        var token = new AccessToken
        {
            Hash = TokenHasher.Hash(secret),
            User = user,
            ScopesJson = scopes.ToJson(),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor, "token.create", $"token:{token.Id}", new { token.User, Scopes = ScopeStrings(token), token.ExpiresAt }, cancellationToken);
        return new TokenCommandResult(new IssuedToken(token, secret), null);
    }

    public async Task<List<TokenResponse>> ListAsync(CancellationToken cancellationToken)
    {
        var tokens = await db.AccessTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return tokens.Select(ToResponse).ToList();
    }

    /// <summary>Revokes token <paramref name="id"/>; revoking a revoked token changes nothing and is not audited again.</summary>
    public async Task<TokenCommandResult> RevokeAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return new TokenCommandResult(null, $"Token {id} not found.", NotFound: true);
        }
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(actor, "token.revoke", $"token:{id}", new { token.User }, cancellationToken);
        }
        // Its transfer tokens end here at once (on other nodes within TransferTokenParents.CacheDuration).
        transferParents.Forget(CredentialIds.ForToken(id));
        return new TokenCommandResult(new IssuedToken(token, string.Empty), null);
    }

    public static TokenResponse ToResponse(AccessToken t) => new(t.Id, t.User, ScopeStrings(t), t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);

    public static Dictionary<string, string> ScopeStrings(AccessToken token) =>
        RepoScopes.FromJson(token.ScopesJson).Levels.ToDictionary(p => p.Key, p => RepoScopes.FormatLevel(p.Value));

    private static TokenCommandResult Invalid(string error) => new(null, error);
}
