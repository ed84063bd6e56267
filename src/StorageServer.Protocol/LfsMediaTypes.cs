namespace StorageServer.Protocol;

public static class LfsMediaTypes
{
    /// <summary>The Git LFS JSON media type; git-lfs rejects responses with any non-JSON type.</summary>
    public const string Json = "application/vnd.git-lfs+json";

    public const string OctetStream = "application/octet-stream";

    public const string HashAlgorithm = "sha256";

    public const string BasicTransfer = "basic";
}
