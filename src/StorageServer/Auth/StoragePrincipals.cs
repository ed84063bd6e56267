using System.Security.Claims;

namespace StorageServer.Auth;

/// <summary>Builds and reads the principals our credentials turn into.</summary>
public static class StoragePrincipals
{
    public const string AuthenticationType = "StorageToken";

    public static ClaimsPrincipal ForScopes(string user, RepoScopes scopes, string credentialKind, string credentialId, DateTimeOffset? expiresAt = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user), new(StorageClaimTypes.CredentialKind, credentialKind), new(StorageClaimTypes.CredentialId, credentialId),
        };
        if (expiresAt is { } expires)
        {
            claims.Add(new Claim(StorageClaimTypes.CredentialExpiresAt, expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        claims.AddRange(scopes.Levels.Select(s => new Claim(StorageClaimTypes.RepoScope, $"{s.Key}={RepoScopes.FormatLevel(s.Value)}")));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType));
    }

    public static ClaimsPrincipal ForTransfer(TransferGrant grant) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, grant.User),
                new Claim(StorageClaimTypes.CredentialKind, "transfer"),
            ],
            AuthenticationType));

    public static string UserName(this ClaimsPrincipal principal) => principal.Identity?.Name ?? "anonymous";

    /// <summary>The access level the principal's scopes give in <paramref name="repository"/>.</summary>
    public static AccessLevel LevelIn(this ClaimsPrincipal principal, string repository)
    {
        var level = AccessLevel.None;
        foreach (var claim in principal.FindAll(StorageClaimTypes.RepoScope))
        {
            var equals = claim.Value.LastIndexOf('=');
            var repo = claim.Value[..equals];
            if ((repo == repository || repo == RepoScopes.AllRepos) && Enum.TryParse<AccessLevel>(claim.Value[(equals + 1)..], true, out var granted) && granted > level)
            {
                level = granted;
            }
        }
        return level;
    }

    public static bool IsServerAdmin(this ClaimsPrincipal principal) => principal.LevelIn(RepoScopes.AllRepos) == AccessLevel.Admin;
}
