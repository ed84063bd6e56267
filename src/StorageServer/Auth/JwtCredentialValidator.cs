using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using StorageServer.Configuration;

namespace StorageServer.Auth;

/// <summary>
/// Validates JWTs of the configured issuer with the JwtBearer handler's own validation
/// parameters, whether they arrive as Bearer or as a Basic password (git-lfs 3.3 speaks only
/// Basic), and maps the scopes claim onto our repository scopes.
/// </summary>
internal sealed class JwtCredentialValidator(IOptionsMonitor<JwtBearerOptions> bearerOptions, IOptions<AuthOptions> auth, TimeProvider clock)
{
    public const string SchemeName = "Jwt";

    // Made by the first JWT, not with the validator: every authenticated request (and the default
    // scheme runs for every request) builds the validator, and a handler made here would load
    // IdentityModel's assemblies and types into servers that have no JWT issuer configured (issue 17).
    private JsonWebTokenHandler? _handler;

    public bool IsConfigured => auth.Value.Jwt?.Issuer is not null;

    /// <summary>The expiry of a token <see cref="ValidateAsync"/> accepted. Here, not in its callers, so that only
    /// JWT code paths name IdentityModel's types (a method naming them loads them when it is compiled).</summary>
    public static DateTimeOffset ExpiresAt(string token) => new(new JsonWebToken(token).ValidTo, TimeSpan.Zero);

    public bool LooksLikeJwt(string secret) => IsConfigured && secret.Count(c => c == '.') == 2 && secret.StartsWith("ey", StringComparison.Ordinal);

    public async Task<ClaimsPrincipal?> ValidateAsync(string token)
    {
        var jwtOptions = auth.Value.Jwt!;
        // Lifetimes are judged by the server's clock (TimeProvider), like everything else here.
        var parameters = bearerOptions.Get(SchemeName).TokenValidationParameters.Clone();
        parameters.LifetimeValidator = (notBefore, expires, _, validation) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return expires is { } until && now <= until.ToUniversalTime() + validation.ClockSkew
                && (notBefore is null || now >= notBefore.Value.ToUniversalTime() - validation.ClockSkew);
        };
        var handler = LazyInitializer.EnsureInitialized(ref _handler, static () => new JsonWebTokenHandler { MapInboundClaims = false });
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return null;
        }
        var user = result.ClaimsIdentity.FindFirst(jwtOptions.UserClaim)?.Value;
        var scopeText = result.ClaimsIdentity.FindAll(jwtOptions.ScopesClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var scopes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in scopeText)
        {
            var colon = entry.LastIndexOf(':');
            if (colon > 0)
            {
                scopes[entry[..colon]] = entry[(colon + 1)..];
            }
        }
        return user is not null && RepoScopes.TryCreate(scopes, out var parsed, out _)
            ? StoragePrincipals.ForScopes(user, parsed, "jwt", CredentialIds.Jwt, new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero))
            : null;
    }
}
