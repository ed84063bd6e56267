using System.Security.Cryptography;
using Jose;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;

namespace StorageServer.Erasure;

/// <summary>
/// Signs erasure receipts with the server's ECDSA P-256 key: <c>Erasure:ReceiptSigningKey</c> (PKCS#8
/// PEM, shared by the nodes of a cluster) or <c>&lt;data-dir&gt;/erasure-receipt-key.pem</c> (mode 0600,
/// created on first use). A receipt is a JWS (RFC 7515 compact serialisation, ES256, with jose-jwt)
/// whose payload is the receipt's JSON bytes exactly as served, so anyone can check it with the
/// public key (<c>GET /api/erasure/public-key</c>, PEM; a JWK next to it) and standard tools.
/// </summary>
public sealed class ReceiptSigner : IDisposable
{
    public const string KeyFileName = "erasure-receipt-key.pem";
    public const string Algorithm = "ES256";

    /// <summary>The algorithm of version 1 receipts (base64 ECDSA signature over a canonical re-serialisation), still verified.</summary>
    public const string LegacyAlgorithm = "ECDSA-P256-SHA256";

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
        using var publicKey = ECDsa.Create(_key.ExportParameters(includePrivateParameters: false));
        var jwk = new Jwk(publicKey, isPrivate: false) { KeyId = KeyId, Alg = Algorithm, Use = "sig" };
        PublicKeyJwk = jwk.ToJson(JWT.DefaultSettings.JsonMapper);
    }

    public string PublicKeyPem { get; }

    /// <summary>The public key as a JWK (RFC 7517), with <c>kid</c>, <c>alg</c> and <c>use</c>.</summary>
    public string PublicKeyJwk { get; }

    /// <summary>Short fingerprint of the public key (the first 16 hex digits of the SHA-256 of its DER), in each receipt and JWS header.</summary>
    public string KeyId { get; }

    /// <summary>The compact JWS of <paramref name="payload"/>: its bytes are signed and carried as they are.</summary>
    public string SignJws(byte[] payload) =>
        JWT.EncodeBytes(payload, _key, JwsAlgorithm.ES256, new Dictionary<string, object> { ["kid"] = KeyId, ["typ"] = "JOSE" });

    /// <summary>The payload bytes of a JWS this key signed, or null when it is not one (malformed, altered, another key or algorithm).</summary>
    public byte[]? VerifyJws(string jws)
    {
        try
        {
            return JWT.VerifyBytes(jws, _key, JwsAlgorithm.ES256);
        }
        catch (Exception e) when (e is JoseException or FormatException or ArgumentException or CryptographicException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Version 1 receipts: base64 ECDSA (r‖s) over the canonical payload bytes.</summary>
    public bool VerifyLegacy(byte[] payload, string signature)
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
