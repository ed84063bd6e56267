using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Erasure.Data;

namespace StorageServer.Erasure;

/// <summary>What a content scan looks for. Never logged; stored only sealed (see <see cref="ErasureSecretVault"/>).</summary>
public sealed record ScanSecrets(string Subject, IReadOnlyList<byte[]> Patterns, bool CaseInsensitive)
{
    /// <summary>
    /// The identifiers, as UTF-8 byte patterns, in the order given. Only these are looked for: the
    /// subject key is a content identifier only when it is listed among them.
    /// </summary>
    public static ScanSecrets Create(string subject, IEnumerable<string> identifiers, bool caseInsensitive)
    {
        var patterns = identifiers
            .Where(i => !string.IsNullOrWhiteSpace(i))
            .Select(i => Encoding.UTF8.GetBytes(i.Trim()))
            .ToList();
        return new ScanSecrets(subject, patterns, caseInsensitive);
    }
}

/// <summary>
/// Identifiers given for a request or a scan, sealed with AES-256-GCM (a key derived from the
/// erasure key, the vault id as associated data) in the metadata database until the work that
/// needs them ends, then deleted. Sealed rather than in one process's memory so that whichever
/// node of a cluster runs the job, or a node restarted after a crash, can go on; the database
/// (its files, dumps, WAL) never holds them in plain text.
/// </summary>
public sealed class ErasureSecretVault(StorageDbContext db, SubjectHasher hasher, TimeProvider clock)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const string KeyPurpose = "storageserver/erasure/identifiers-at-rest/v1";

    public async Task PutAsync(string id, ScanSecrets secrets, CancellationToken cancellationToken)
    {
        var sealedText = Seal(id, secrets);
        var row = await db.Set<SealedIdentifiers>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (row is null)
        {
            db.Set<SealedIdentifiers>().Add(new SealedIdentifiers { Id = id, Sealed = sealedText, CreatedAt = clock.GetUtcNow() });
        }
        else
        {
            row.Sealed = sealedText;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<ScanSecrets?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var sealedText = await db.Set<SealedIdentifiers>().AsNoTracking().Where(s => s.Id == id).Select(s => s.Sealed).SingleOrDefaultAsync(cancellationToken);
        return sealedText is null ? null : Unseal(id, sealedText);
    }

    /// <summary>Of <paramref name="ids"/>, those whose identifiers are held.</summary>
    public async Task<HashSet<string>> HeldAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await db.Set<SealedIdentifiers>().AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    public async Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        await db.Set<SealedIdentifiers>().Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);

    private string Seal(string id, ScanSecrets secrets)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(new SealedPayload(secrets.Subject, secrets.Patterns.Select(Convert.ToBase64String).ToList(), secrets.CaseInsensitive));
        var output = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(hasher.DeriveKey(KeyPurpose), TagBytes);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(id));
        CryptographicOperations.ZeroMemory(plain);
        return Convert.ToBase64String(output);
    }

    private ScanSecrets Unseal(string id, string sealedText)
    {
        var input = Convert.FromBase64String(sealedText);
        var plain = new byte[input.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(hasher.DeriveKey(KeyPurpose), TagBytes);
        aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes + TagBytes), input.AsSpan(NonceBytes, TagBytes), plain, Encoding.UTF8.GetBytes(id));
        var payload = JsonSerializer.Deserialize<SealedPayload>(plain)!;
        CryptographicOperations.ZeroMemory(plain);
        return new ScanSecrets(payload.Subject, payload.Patterns.Select(Convert.FromBase64String).ToList(), payload.CaseInsensitive);
    }

    private sealed record SealedPayload(string Subject, List<string> Patterns, bool CaseInsensitive);
}
