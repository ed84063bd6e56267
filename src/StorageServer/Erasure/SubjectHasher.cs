using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;

namespace StorageServer.Erasure;

/// <summary>
/// Keyed hashes (HMAC-SHA256) that stand for subjects, oids and paths wherever erasure records
/// something: index, audit trail, receipts. The key lives in <c>&lt;data-dir&gt;/erasure-key</c>
/// (mode 0600, shared by the nodes like the signing key), so the hashes cannot be reversed by
/// trying names without it.
/// </summary>
public sealed class SubjectHasher
{
    public const string KeyFileName = "erasure-key";

    private readonly byte[] _key;

    public SubjectHasher(IOptions<StorageServerOptions> server)
    {
        var path = System.IO.Path.Combine(server.Value.FullDataDir, KeyFileName);
        var secret = SecretFiles.ReadOrCreate(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Secret;
        _key = Convert.FromBase64String(secret);
    }

    /// <summary>The subject's key as it is normalised before hashing: trimmed, ASCII letters lower-cased.</summary>
    public static string Normalize(string subject) => subject.Trim().ToLowerInvariant();

    public string Subject(string subject) => Hash("subject", Normalize(subject));

    public string Oid(string oid) => Hash("oid", oid);

    public string Path(string repository, string path) => Hash("path", repository + "\n" + path);

    private string Hash(string domain, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(domain + ":" + value)));
}
