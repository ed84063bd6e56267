using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Auth;

/// <summary>
/// Short-lived signed tokens that authorise one transfer (upload, download or verify of one OID
/// in one repository) on behalf of the credential that asked for it. They travel in the batch
/// action's <c>header</c>, so the client never answers a challenge on transfer URLs. HMAC-SHA256
/// with a key shared by all nodes.
/// </summary>
public sealed class TransferTokens
{
    public const string Prefix = "ss_xfer.";
    private const int MinimumKeyBytes = 32;

    private readonly byte[] _key;
    private readonly TimeProvider _clock;

    public TransferTokens(IOptions<AuthOptions> auth, IOptions<StorageServerOptions> server, TimeProvider clock)
    {
        _clock = clock;
        var configured = auth.Value.SigningKey;
        if (string.IsNullOrEmpty(configured))
        {
            var path = Path.Combine(server.Value.FullDataDir, "signing-key");
            configured = SecretFiles.ReadOrCreate(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes))).Secret;
        }
        try
        {
            _key = Convert.FromBase64String(configured);
        }
        catch (FormatException)
        {
            throw new OptionsValidationException("Auth:SigningKey", typeof(AuthOptions), ["Auth:SigningKey must be base64."]);
        }
        if (_key.Length < MinimumKeyBytes)
        {
            throw new OptionsValidationException("Auth:SigningKey", typeof(AuthOptions), [$"Auth:SigningKey must decode to at least {MinimumKeyBytes} bytes."]);
        }
        if (SecretStrength.KeyWeakness(_key) is { } weakness)
        {
            throw new OptionsValidationException("Auth:SigningKey", typeof(AuthOptions), [$"Auth:SigningKey {weakness}."]);
        }
    }

    public string Issue(TransferGrant grant)
    {
        if (grant.Ref is { } gitRef && gitRef.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A ref name cannot contain a newline.", nameof(grant));
        }
        if (grant.Parent.Length == 0 || grant.Parent.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A transfer token needs the credential it was issued for.", nameof(grant));
        }
        var payload = string.Join('\n', grant.Operation, grant.Repository, grant.Oid.Value, grant.User,
            grant.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            grant.Size?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, grant.Ref ?? string.Empty, grant.Parent);
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        return Prefix + SecretFiles.Base64Url(payloadBytes) + "." + SecretFiles.Base64Url(HMACSHA256.HashData(_key, payloadBytes));
    }

    /// <summary>Checks signature and expiry; a tampered, foreign or expired token yields false.</summary>
    public bool TryValidate(string token, [NotNullWhen(true)] out TransferGrant? grant)
    {
        grant = null;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !TryDecode(parts[0], out var payloadBytes) || !TryDecode(parts[1], out var signature)
            || !CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payloadBytes)))
        {
            return false;
        }
        var fields = Encoding.UTF8.GetString(payloadBytes).Split('\n');
        if (fields.Length != 8 || fields[7].Length == 0 || !Enum.TryParse<TransferOperation>(fields[0], out var operation) || !Oid.TryParse(fields[2], out var oid)
            || !long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }
        long? size = null;
        if (fields[5].Length > 0)
        {
            if (!long.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedSize))
            {
                return false;
            }
            size = parsedSize;
        }
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (expiresAt <= _clock.GetUtcNow())
        {
            return false;
        }
        grant = new TransferGrant(operation, fields[1], oid, fields[3], expiresAt, fields[7], size, fields[6].Length > 0 ? fields[6] : null);
        return true;
    }

    private static bool TryDecode(string base64Url, out byte[] bytes)
    {
        var padded = base64Url.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) && (bytes = bytes[..written]).Length > 0;
    }
}

public enum TransferOperation
{
    Upload,
    Download,
    Verify,
}

/// <param name="Parent">
/// The credential the batch call was made with (<see cref="CredentialIds"/>): a transfer token is
/// honoured only while it is (<see cref="TransferTokenParents"/>), so revoking a token also ends the
/// transfers it started.
/// </param>
/// <param name="Size">The object size announced in the batch; an upload must send exactly this many bytes.</param>
/// <param name="Ref">The ref named in the upload batch, recorded as the claim's first ref.</param>
public sealed record TransferGrant(
    TransferOperation Operation, string Repository, Oid Oid, string User, DateTimeOffset ExpiresAt, string Parent, long? Size = null, string? Ref = null);
