using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Auth;

/// <summary>
/// The bootstrap admin token: from <c>STORAGESERVER_ADMIN_TOKEN</c> / <c>Auth:AdminToken</c>, or
/// generated once into <c>&lt;data-dir&gt;/admin-token</c> (mode 0600). Only its hash is kept.
/// </summary>
public sealed class AdminCredential
{
    public const string EnvironmentVariable = "STORAGESERVER_ADMIN_TOKEN";
    public const string UserName = "admin";
    private const int MinimumLength = 16;

    public AdminCredential(IOptions<AuthOptions> auth, IOptions<StorageServerOptions> server, ILogger<AdminCredential> logger)
    {
        var configured = auth.Value.AdminToken;
        if (!string.IsNullOrEmpty(configured))
        {
            if (configured.Length < MinimumLength)
            {
                throw new OptionsValidationException("Auth:AdminToken", typeof(AuthOptions),
                    [$"{EnvironmentVariable} (Auth:AdminToken) must be at least {MinimumLength} characters."]);
            }
            if (SecretStrength.TokenWeakness(configured) is { } weakness)
            {
                throw new OptionsValidationException("Auth:AdminToken", typeof(AuthOptions), [$"{EnvironmentVariable} (Auth:AdminToken) {weakness}."]);
            }
            Hash = TokenHasher.Hash(configured);
            return;
        }
        var path = Path.Combine(server.Value.FullDataDir, "admin-token");
        var (token, created) = SecretFiles.ReadOrCreate(path, () => SecretFiles.RandomToken("ss_admin_"));
        Hash = TokenHasher.Hash(token);
        if (created)
        {
            logger.LogWarning("Generated an admin token into {AdminTokenPath}", path);
        }
        else
        {
            logger.LogInformation("Using the admin token in {AdminTokenPath}", path);
        }
    }

    /// <summary>SHA-256 of the admin token.</summary>
    public string Hash { get; }

    public bool Matches(string candidate) => TokenHasher.FixedTimeEquals(TokenHasher.Hash(candidate), Hash);
}
