using System.Collections.Concurrent;

namespace StorageServer.Erasure;

/// <summary>What a content scan looks for. Held in memory only: never logged, never stored.</summary>
public sealed record ScanSecrets(string Subject, IReadOnlyList<byte[]> Patterns, bool CaseInsensitive)
{
    /// <summary>The identifiers plus the subject key itself, as UTF-8 byte patterns.</summary>
    public static ScanSecrets Create(string subject, IEnumerable<string> identifiers, bool caseInsensitive)
    {
        var patterns = identifiers.Append(subject.Trim())
            .Where(i => !string.IsNullOrWhiteSpace(i))
            .Select(i => System.Text.Encoding.UTF8.GetBytes(i.Trim()))
            .ToList();
        return new ScanSecrets(subject, patterns, caseInsensitive);
    }
}

/// <summary>
/// Identifiers given for a request or scan, kept in this process's memory until the work that
/// needs them ends. After a restart they are gone by design: the request waits until they are
/// given again (<c>POST /api/erasure/requests/{id}/identifiers</c>).
/// </summary>
public sealed class ErasureSecretVault
{
    private readonly ConcurrentDictionary<string, ScanSecrets> _secrets = new(StringComparer.Ordinal);

    public void Put(string id, ScanSecrets secrets) => _secrets[id] = secrets;

    public ScanSecrets? Get(string id) => _secrets.GetValueOrDefault(id);

    public void Remove(string id) => _secrets.TryRemove(id, out _);
}
