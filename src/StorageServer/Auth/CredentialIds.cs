using System.Globalization;
using System.Security.Claims;

namespace StorageServer.Auth;

/// <summary>
/// Names the credential behind a principal, carried into the transfer tokens it is given:
/// <c>pat:&lt;id&gt;</c> for a personal access token, <c>admin:&lt;hash prefix&gt;</c> for the bootstrap
/// admin token (a new admin token ends the old one's transfers), <c>jwt</c> for a JWT (its transfer
/// tokens expire with it), <c>anonymous</c> for anonymous reads of a public repository.
/// </summary>
public static class CredentialIds
{
    public const string Anonymous = "anonymous";
    public const string Jwt = "jwt";
    private const string TokenPrefix = "pat:";
    private const string AdminPrefix = "admin:";

    public static string ForToken(long id) => TokenPrefix + id.ToString(CultureInfo.InvariantCulture);

    public static string ForAdmin(string adminHash) => AdminPrefix + adminHash[..16];

    public static bool TryParseToken(string credential, out long id)
    {
        id = 0;
        return credential.StartsWith(TokenPrefix, StringComparison.Ordinal)
            && long.TryParse(credential.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    public static bool IsAdmin(string credential) => credential.StartsWith(AdminPrefix, StringComparison.Ordinal);

    /// <summary>The credential of the request's principal; anonymous when it has none.</summary>
    public static string Of(ClaimsPrincipal principal) => principal.FindFirst(StorageClaimTypes.CredentialId)?.Value ?? Anonymous;

    /// <summary>When the principal's credential itself expires, if it does (JWTs, expiring tokens).</summary>
    public static DateTimeOffset? ExpiryOf(ClaimsPrincipal principal) =>
        principal.FindFirst(StorageClaimTypes.CredentialExpiresAt)?.Value is { } unix
            && long.TryParse(unix, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
