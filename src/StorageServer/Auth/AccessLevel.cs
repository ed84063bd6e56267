namespace StorageServer.Auth;

/// <summary>What a credential may do in a repository; each level includes the ones below it.</summary>
public enum AccessLevel
{
    None = 0,
    Read = 1,
    Write = 2,
    Admin = 3,
}
