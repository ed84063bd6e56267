namespace StorageServer.Admin;

public sealed record CreateRepoRequest(string? Name, bool AllowAnonymousRead = false);

public sealed record UpdateRepoRequest(bool? AllowAnonymousRead);

public sealed record RepoResponse(string Name, bool AllowAnonymousRead, DateTimeOffset CreatedAt, string GitUrl, string LfsUrl);

public sealed record CreateTokenRequest(string? User, Dictionary<string, string>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>The only time the token text is shown; the server keeps its hash.</summary>
public sealed record CreatedTokenResponse(long Id, string Token, string User, IReadOnlyDictionary<string, string> Scopes, DateTimeOffset? ExpiresAt);

public sealed record TokenResponse(
    long Id, string User, IReadOnlyDictionary<string, string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

public sealed record ApiError(string Message);
