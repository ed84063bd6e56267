namespace StorageServer.Data.Entities;

/// <summary>A personal access token. Only its SHA-256 is stored; the secret is shown once.</summary>
public sealed class AccessToken
{
    public long Id { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token text.</summary>
    public required string Hash { get; set; }

    public required string User { get; set; }

    /// <summary>Scopes as JSON, e.g. <c>{"team/data":"write","*":"read"}</c>.</summary>
    public required string ScopesJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When a request last authenticated with it, to within <see cref="Auth.TokenUsage.Resolution"/>.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
