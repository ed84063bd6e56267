using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;

namespace StorageServer.Erasure;

/// <summary>
/// Keyed hashes (HMAC-SHA256) that stand for subjects, oids and paths wherever erasure records
/// something: index, audit trail, receipts, tombstones. The key is <c>Erasure:SubjectKey</c> (shared
/// by the nodes of a cluster) or <c>&lt;data-dir&gt;/erasure-key</c> (mode 0600), so the hashes cannot be
/// reversed by trying names without it.
/// </summary>
public sealed class SubjectHasher
{
    public const string KeyFileName = "erasure-key";

    private readonly byte[] _key;

    private const int MinimumKeyBytes = 32;

    public SubjectHasher(IOptions<StorageServerOptions> server, IOptions<ErasureOptions> erasure)
    {
        var secret = erasure.Value.SubjectKey;
        if (string.IsNullOrEmpty(secret))
        {
            var path = System.IO.Path.Combine(server.Value.FullDataDir, KeyFileName);
            secret = SecretFiles.ReadOrCreate(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes))).Secret;
        }
        try
        {
            _key = Convert.FromBase64String(secret);
        }
        catch (FormatException)
        {
            throw new OptionsValidationException("Erasure:SubjectKey", typeof(ErasureOptions), ["Erasure:SubjectKey must be base64."]);
        }
        if (_key.Length < MinimumKeyBytes)
        {
            throw new OptionsValidationException("Erasure:SubjectKey", typeof(ErasureOptions), [$"Erasure:SubjectKey must decode to at least {MinimumKeyBytes} bytes."]);
        }
        if (SecretStrength.KeyWeakness(_key) is { } weakness)
        {
            throw new OptionsValidationException("Erasure:SubjectKey", typeof(ErasureOptions), [$"Erasure:SubjectKey {weakness}."]);
        }
    }

    /// <summary>A key derived for another purpose (sealing identifiers at rest), so the HMAC key itself is used for one thing only.</summary>
    public byte[] DeriveKey(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>The subject's key as it is normalised before hashing: trimmed, lower-cased (invariant culture).</summary>
    private static string Normalize(string subject) => subject.Trim().ToLowerInvariant();

    public string Subject(string subject) => Hash("subject", Normalize(subject));

    public string Oid(string oid) => Hash("oid", oid);

    public string Path(string repository, string path) => Hash("path", repository + "\n" + path);

    /// <summary>A record of a file as the preview shows it: HMAC over <c>record:</c> and the record's bytes as stored (no line break).</summary>
    public string Record(ReadOnlySpan<byte> record)
    {
        var prefix = "record:"u8;
        var message = new byte[prefix.Length + record.Length];
        prefix.CopyTo(message);
        record.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, message));
    }

    private string Hash(string domain, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(domain + ":" + value)));
}
