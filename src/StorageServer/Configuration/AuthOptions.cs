namespace StorageServer.Configuration;

/// <summary>Authentication. Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// The bootstrap admin token. Read from <c>STORAGESERVER_ADMIN_TOKEN</c> (or <c>Auth:AdminToken</c>);
    /// when neither is set one is generated into <c>&lt;data-dir&gt;/admin-token</c>.
    /// </summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// Base64 key (≥ 32 bytes) that signs transfer tokens. Nodes of a cluster must share it; when
    /// unset on a single node one is generated into <c>&lt;data-dir&gt;/signing-key</c>.
    /// </summary>
    public string? SigningKey { get; set; }

    public JwtIssuerOptions? Jwt { get; set; }
}

/// <summary>An external token issuer whose JWTs are accepted as Bearer credentials. Section <c>Auth:Jwt</c>.</summary>
public sealed class JwtIssuerOptions
{
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Base64 HMAC key (HS256) of the issuer.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Claim carrying scopes, each <c>repo:level</c> (e.g. <c>team/data:write</c>, <c>*:read</c>).</summary>
    public string ScopesClaim { get; set; } = "storage_scopes";

    /// <summary>Claim naming the user.</summary>
    public string UserClaim { get; set; } = "sub";
}
