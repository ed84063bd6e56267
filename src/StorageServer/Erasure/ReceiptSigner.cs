using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;

namespace StorageServer.Erasure;

/// <summary>
/// Signs erasure receipts with the server's ECDSA P-256 key: <c>Erasure:ReceiptSigningKey</c> (PKCS#8
/// PEM, shared by the nodes of a cluster) or <c>&lt;data-dir&gt;/erasure-receipt-key.pem</c> (mode 0600,
/// created on first use). The public key is published at <c>GET /api/erasure/public-key</c>.
/// </summary>
public sealed class ReceiptSigner : IDisposable
{
    public const string KeyFileName = "erasure-receipt-key.pem";
    public const string Algorithm = "ECDSA-P256-SHA256";

    private readonly ECDsa _key;

    public ReceiptSigner(IOptions<StorageServerOptions> server, IOptions<ErasureOptions> erasure)
    {
        var pem = erasure.Value.ReceiptSigningKey;
        if (string.IsNullOrEmpty(pem))
        {
            var path = Path.Combine(server.Value.FullDataDir, KeyFileName);
            pem = SecretFiles.ReadOrCreate(path, () =>
            {
                using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return created.ExportPkcs8PrivateKeyPem();
            }).Secret;
        }
        _key = ECDsa.Create();
        try
        {
            if (pem.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                _key.ImportFromPem(pem);
            }
            else
            {
                // One line, for environment files: base64 of the PKCS#8 DER.
                _key.ImportPkcs8PrivateKey(Convert.FromBase64String(pem), out _);
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException)
        {
            _key.Dispose();
            throw new OptionsValidationException("Erasure:ReceiptSigningKey", typeof(ErasureOptions), [$"Erasure:ReceiptSigningKey must be a PKCS#8 private key, PEM or base64 DER: {e.Message}"]);
        }
        if (_key.KeySize != 256)
        {
            _key.Dispose();
            throw new OptionsValidationException("Erasure:ReceiptSigningKey", typeof(ErasureOptions), ["Erasure:ReceiptSigningKey must be an ECDSA P-256 key."]);
        }
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
