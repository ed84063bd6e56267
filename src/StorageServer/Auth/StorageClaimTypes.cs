namespace StorageServer.Auth;

/// <summary>Claims our authentication handlers put on the principal.</summary>
public static class StorageClaimTypes
{
    /// <summary>One claim per repository: <c>owner/name=level</c> or <c>*=level</c>.</summary>
    public const string RepoScope = "storage:scope";

    /// <summary>Which kind of credential authenticated the request (token, admin, jwt).</summary>
    public const string CredentialKind = "storage:credential";
}
