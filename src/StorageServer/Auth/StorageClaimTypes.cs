namespace StorageServer.Auth;

/// <summary>Claims our authentication handlers put on the principal.</summary>
public static class StorageClaimTypes
{
    /// <summary>One claim per repository: <c>owner/name=level</c> or <c>*=level</c>.</summary>
    public const string RepoScope = "storage:scope";

    /// <summary>Which kind of credential authenticated the request (token, admin, jwt).</summary>
    public const string CredentialKind = "storage:credential";

    /// <summary>Which credential exactly (<see cref="CredentialIds"/>): transfer tokens name it as their parent.</summary>
    public const string CredentialId = "storage:credential-id";

    /// <summary>When that credential expires (Unix seconds), when it does.</summary>
    public const string CredentialExpiresAt = "storage:credential-expires";
}
