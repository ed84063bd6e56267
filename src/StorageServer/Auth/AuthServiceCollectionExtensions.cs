using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StorageServer.Configuration;

namespace StorageServer.Auth;

public static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddStorageAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var jwt = configuration.GetSection($"{AuthOptions.Section}:Jwt").Get<JwtIssuerOptions>();
        ValidateJwt(jwt);

        services.AddSingleton<AdminCredential>();
        services.AddSingleton<TransferTokens>().AddSingleton<TransferTokenParents>();
        services.AddScoped<RepoAccess>();
        services.AddScoped<CredentialResolver>();
        services.AddSingleton<TokenUsage>();
        services.AddSingleton<JwtCredentialValidator>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(JwtCredentialValidator.SchemeName, options =>
            {
                if (jwt?.Issuer is null)
                {
                    return;
                }
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwt.SigningKey!)),
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        services.AddAuthorization();
        return services;
    }

    /// <summary>A half-configured issuer fails startup, naming the missing key, instead of running open.</summary>
    private static void ValidateJwt(JwtIssuerOptions? jwt)
    {
        if (jwt is null || (jwt.Issuer is null && jwt.Audience is null && jwt.SigningKey is null))
        {
            return;
        }
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            errors.Add("Auth:Jwt:Issuer is required when Auth:Jwt is configured.");
        }
        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            errors.Add("Auth:Jwt:Audience is required when Auth:Jwt is configured.");
        }
        if (!IsKey(jwt.SigningKey, out var key))
        {
            errors.Add("Auth:Jwt:SigningKey must be a base64 key of at least 32 bytes.");
        }
        else if (SecretStrength.KeyWeakness(key) is { } weakness)
        {
            errors.Add($"Auth:Jwt:SigningKey {weakness}.");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("Auth:Jwt", typeof(JwtIssuerOptions), errors);
        }
    }

    private static bool IsKey(string? base64, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(base64))
        {
            return false;
        }
        var buffer = new byte[Encoding.ASCII.GetByteCount(base64)];
        if (!Convert.TryFromBase64String(base64, buffer, out var written) || written < 32)
        {
            return false;
        }
        key = buffer[..written];
        return true;
    }
}
