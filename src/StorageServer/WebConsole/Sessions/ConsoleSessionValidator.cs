using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Data;

namespace StorageServer.WebConsole.Sessions;

/// <summary>
/// Re-checks, on every console request, the credential a session was opened with: a revoked or
/// expired token, a token no longer admin on every repository, a rotated admin token, an expired
/// JWT or a session past its lifetime ends the session there and then.
/// </summary>
internal sealed class ConsoleSessionValidator(StorageDbContext db, AdminCredential admin, IOptions<ConsoleOptions> options, TimeProvider clock, ILogger<ConsoleSessionValidator> logger)
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is not null && await IsValidAsync(principal, context.Properties, context.HttpContext.RequestAborted))
        {
            return;
        }
        logger.LogInformation("Console session of {User} ended: its credential is no longer valid or the session is too old", principal?.UserName());
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(ConsoleAuthentication.Scheme);
    }

    private async Task<bool> IsValidAsync(ClaimsPrincipal principal, AuthenticationProperties properties, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!principal.IsServerAdmin() || properties.IssuedUtc is not { } issued || now > issued + options.Value.SessionLifetime)
        {
            return false;
        }
        if (principal.FindFirst(ConsoleClaims.CredentialExpires) is { } expires
            && DateTimeOffset.FromUnixTimeSeconds(long.Parse(expires.Value, CultureInfo.InvariantCulture)) <= now)
        {
            return false;
        }
        switch (principal.FindFirst(StorageClaimTypes.CredentialKind)?.Value)
        {
            case "admin":
                return principal.FindFirst(ConsoleClaims.AdminFingerprint)?.Value == ConsoleClaims.Fingerprint(admin.Hash);
            case "jwt":
                return principal.FindFirst(ConsoleClaims.CredentialExpires) is not null;
            case "token":
                var id = long.Parse(principal.FindFirst(ConsoleClaims.TokenId)?.Value ?? "0", CultureInfo.InvariantCulture);
                var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
                return token is { RevokedAt: null } && (token.ExpiresAt is null || token.ExpiresAt > now)
                    && RepoScopes.FromJson(token.ScopesJson).Levels.GetValueOrDefault(RepoScopes.AllRepos) == AccessLevel.Admin;
            default:
                return false;
        }
    }
}
