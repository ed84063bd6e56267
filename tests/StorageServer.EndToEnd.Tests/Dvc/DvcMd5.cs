namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>The MD5 DVC 3 names an object by (the raw bytes'); an identifier here, not a security check.</summary>
public static class DvcMd5
{
#pragma warning disable CA5351 // DVC's object ids are MD5s: the tests must compute them as DVC does.
    public static string Of(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(content));
#pragma warning restore CA5351
}
