using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using StorageServer.Audit;
using StorageServer.Auth;

namespace StorageServer.WebConsole.Sessions;

/// <summary>
/// Signs admins in and out of the console. A token (admin, personal access token or JWT of the
/// configured issuer) is checked exactly as the API checks it and must be admin on every
/// repository; the session then holds the credential's claims, never the token.
/// </summary>
internal sealed class ConsoleAuthentication(
    CredentialResolver credentials, AdminCredential admin, AuditLog audit, IOptions<ConsoleOptions> options, TimeProvider clock, ILogger<ConsoleAuthentication> logger)
{
    public const string Scheme = "Console";
    public const string Policy = "ConsoleAdmin";

    /// <summary>Null when signed in, else the reason shown on the sign-in page.</summary>
    public async Task<string?> SignInAsync(HttpContext http, string? secret, CancellationToken cancellationToken)
    {
        secret = secret?.Trim();
        if (string.IsNullOrEmpty(secret) || secret.Length > 8192 || secret.StartsWith(TransferTokens.Prefix, StringComparison.Ordinal))
        {
            return Refuse(http, "Paste an admin token: the bootstrap admin token, a personal access token with admin on \"*\", or a JWT of the configured issuer.");
        }
        var check = await credentials.ResolveAsync(secret, cancellationToken);
        if (check.Credential is not { } credential)
        {
            return Refuse(http, "This token is not valid: it is unknown, revoked or expired.");
        }
        if (!credential.Principal.IsServerAdmin())
        {
            return Refuse(http, "This token is valid but not an admin token: the console needs admin on every repository (\"*\": admin).");
        }
        var claims = new List<Claim>(credential.Principal.Claims);
        if (credential.TokenId is { } tokenId)
        {
            claims.Add(new Claim(ConsoleClaims.TokenId, tokenId.ToString(CultureInfo.InvariantCulture)));
        }
        if (credential.Kind == "admin")
        {
            claims.Add(new Claim(ConsoleClaims.AdminFingerprint, ConsoleClaims.Fingerprint(admin.Hash)));
        }
        if (credential.ExpiresAt is { } expires)
        {
            claims.Add(new Claim(ConsoleClaims.CredentialExpires, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, StoragePrincipals.AuthenticationType));
        var now = clock.GetUtcNow();
        await http.SignInAsync(Scheme, principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.Value.SessionIdleTimeout });
        await audit.AppendAsync(principal.UserName(), "console.signin", "console", new { credential = credential.Kind }, cancellationToken);
        return null;
    }

    public async Task SignOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        await http.SignOutAsync(Scheme);
        await audit.AppendAsync(http.User.UserName(), "console.signout", "console", null, cancellationToken);
    }

    private string Refuse(HttpContext http, string reason)
    {
        logger.LogWarning("Console sign-in refused from {RemoteAddress}: {Reason}", http.Connection.RemoteIpAddress, reason);
        return reason;
    }
}
