using System.Security.Cryptography;
using StorageServer.Erasure.Scanning;

namespace StorageServer.Erasure.Redaction;

/// <summary>A redacted successor written to a temporary file, with its SHA-256 and size.</summary>
public sealed record Successor(string Path, string Oid, long Size) : IDisposable
{
    public void Dispose() => File.Delete(Path);
}

/// <summary>Copies a line-oriented object without the dropped lines, hashing as it writes.</summary>
public static class SuccessorWriter
{
    /// <param name="directory">Where the temporary file goes: inside the data directory, so it is on the store's disk and covered by its checks.</param>
    public static async Task<Successor> WriteAsync(Stream original, IReadOnlySet<long> dropLines, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, $"redact-{Guid.NewGuid():N}.tmp");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await LineReader.ForEachLineAsync(original, async (number, line) =>
                {
                    if (!dropLines.Contains(number))
                    {
                        hash.AppendData(line.Span);
                        size += line.Length;
                        await output.WriteAsync(line, cancellationToken);
                    }
                }, cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
            return new Successor(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
