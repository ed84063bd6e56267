using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

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
    TransferTokens transferTokens,
    TransferTokenParents parents,
    CredentialResolver credentials) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
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
        var check = await credentials.ResolveAsync(secret, Context.RequestAborted);
        return check.Credential is { } credential ? Success(credential.Principal) : AuthenticateResult.Fail(check.Failure!);
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
