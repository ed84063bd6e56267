using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;

namespace StorageServer.Erasure;

/// <summary>
/// Signs erasure receipts with the server's ECDSA P-256 key (<c>&lt;data-dir&gt;/erasure-receipt-key.pem</c>,
/// PKCS#8, mode 0600, created on first use). The public key is published at <c>GET /api/erasure/public-key</c>.
/// </summary>
public sealed class ReceiptSigner : IDisposable
{
    public const string KeyFileName = "erasure-receipt-key.pem";
    public const string Algorithm = "ECDSA-P256-SHA256";

    private readonly ECDsa _key;

    public ReceiptSigner(IOptions<StorageServerOptions> server)
    {
        var path = Path.Combine(server.Value.FullDataDir, KeyFileName);
        var pem = SecretFiles.ReadOrCreate(path, () =>
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return created.ExportPkcs8PrivateKeyPem();
        }).Secret;
        _key = ECDsa.Create();
        _key.ImportFromPem(pem);
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()))[..16];
    }

    public string PublicKeyPem { get; }

    /// <summary>Short fingerprint of the public key, written into each receipt.</summary>
    public string KeyId { get; }

    public string Sign(byte[] payload) => Convert.ToBase64String(_key.SignData(payload, HashAlgorithmName.SHA256));

    public bool Verify(byte[] payload, string signature)
    {
        try
        {
            return _key.VerifyData(payload, Convert.FromBase64String(signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
