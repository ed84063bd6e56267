using System.Security.Cryptography;
using System.Text;

namespace StorageServer.Lfs.Resumable;

/// <summary>
/// One partial upload: what it will become (repository, oid, size) and whose it is. Stored as
/// <c>&lt;key&gt;.json</c> next to the bytes (<c>&lt;key&gt;.part</c>); the key hashes the four
/// fields, so one user's upload can never be appended to by another, nor land under another oid.
/// </summary>
public sealed record PartialUpload(string Repository, string Oid, long Size, string User, DateTimeOffset CreatedAt, DateTimeOffset TouchedAt)
{
    public string Key => KeyOf(Repository, Oid, Size, User);

    public static string KeyOf(string repository, string oid, long size, string user) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{repository}\0{oid}\0{size}\0{user}")))[..40];
}
