using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Data;

namespace StorageServer.Auth;

/// <summary>
/// Turns whatever secret the request carries (admin token, personal access token, transfer
/// token or a JWT of the configured issuer; as Basic password or Bearer) into a principal.
/// Whether that principal may act on a repository is decided per request by <see cref="RepoAccess"/>.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminCredential admin,
    TransferTokens transferTokens,
    TransferTokenParents parents,
    StorageDbContext db,
    JwtCredentialValidator jwt,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "StorageToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = Credentials.ReadSecret(Request);
        if (secret is null)
        {
            return Credentials.WereSent(Request) ? AuthenticateResult.Fail("Unreadable Authorization header") : AuthenticateResult.NoResult();
        }
        if (secret.StartsWith(TransferTokens.Prefix, StringComparison.Ordinal))
        {
            if (!transferTokens.TryValidate(secret, out var grant))
            {
                return AuthenticateResult.Fail("Transfer token is invalid or expired");
            }
            if (!await parents.IsValidAsync(grant, Context.RequestAborted))
            {
                return AuthenticateResult.Fail("The credential this transfer token was issued for was revoked or expired");
            }
            // Kept on the request so the transfer endpoints use the checked grant (size, ref)
            // instead of parsing and verifying the token a second time.
            Context.Features.Set(grant);
            return Success(StoragePrincipals.ForTransfer(grant));
        }
        if (admin.Matches(secret))
        {
            return Success(StoragePrincipals.ForScopes(AdminCredential.UserName, RepoScopes.ServerAdmin, "admin", CredentialIds.ForAdmin(admin.Hash)));
        }
        if (jwt.LooksLikeJwt(secret))
        {
            var principal = await jwt.ValidateAsync(secret);
            return principal is null ? AuthenticateResult.Fail("JWT rejected") : Success(principal);
        }
        var hash = TokenHasher.Hash(secret);
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        if (token is null || token.RevokedAt is not null || (token.ExpiresAt is { } expires && expires <= clock.GetUtcNow()))
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired token");
        }
        return Success(StoragePrincipals.ForScopes(token.User, RepoScopes.FromJson(token.ScopesJson), "token", CredentialIds.ForToken(token.Id), token.ExpiresAt));
    }

    private AuthenticateResult Success(System.Security.Claims.ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

    // Challenges are written by the protocol endpoints themselves (LFS-Authenticate vs WWW-Authenticate).
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"StorageServer\"";
        return Task.CompletedTask;
    }
}
