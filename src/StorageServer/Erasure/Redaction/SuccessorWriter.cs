using System.Buffers;
using System.Security.Cryptography;
using StorageServer.Erasure.Scanning;

namespace StorageServer.Erasure.Redaction;

/// <summary>A redacted successor written to a temporary file, with its SHA-256 and size.</summary>
public sealed record Successor(string Path, string Oid, long Size) : IDisposable
{
    public void Dispose() => File.Delete(Path);
}

/// <summary>
/// Copies the original's bytes without the removed records, hashing as it writes: every kept
/// record stays byte for byte as it was (quoting, line breaks, encoding), nothing is re-serialised.
/// A removed record takes its own line break with it (CR LF, LF or CR), so the records around it
/// keep theirs.
/// </summary>
public static class SuccessorWriter
{
    private const int BufferSize = 64 * 1024;

    /// <param name="directory">Where the temporary file goes: inside the data directory, so it is on the store's disk and covered by its checks.</param>
    public static Task<Successor> WriteAsync(Stream original, IReadOnlyList<DropRange> drop, string directory, CancellationToken cancellationToken) =>
        WriteWithAsync(directory, (output, cancellation) => CopyKeptAsync(original, drop, output, cancellation), cancellationToken);

    /// <summary>Requests planned before record-aware matching: drops whole physical lines by number.</summary>
    public static Task<Successor> WriteLegacyAsync(Stream original, IReadOnlySet<long> dropLines, string directory, CancellationToken cancellationToken) =>
        WriteWithAsync(directory, (output, cancellation) => LineReader.ForEachLineAsync(original, async (number, line) =>
        {
            if (!dropLines.Contains(number))
            {
                await output.WriteAsync(line, cancellation);
            }
        }, cancellation), cancellationToken);

    private static async Task<Successor> WriteWithAsync(string directory, Func<HashingWriter, CancellationToken, Task> copy, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, $"redact-{Guid.NewGuid():N}.tmp");
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            using var writer = new HashingWriter(file);
            await copy(writer, cancellationToken);
            await file.FlushAsync(cancellationToken);
            return new Successor(path, writer.Oid(), writer.Size);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static async Task CopyKeptAsync(Stream original, IReadOnlyList<DropRange> drop, HashingWriter output, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long position = 0;
            var next = 0;          // the next range to drop
            var skipBreak = false; // just after a dropped record: its line break goes too
            var skipLf = false;    // after a dropped CR: an LF right after it is the same line break
            int read;
            while ((read = await original.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                var i = 0;
                while (i < read)
                {
                    var absolute = position + i;
                    if (skipLf || skipBreak)
                    {
                        var b = buffer[i];
                        if ((skipLf && b == '\n') || (skipBreak && (b == '\n' || b == '\r')))
                        {
                            skipLf = skipBreak && b == '\r';
                            skipBreak = false;
                            i++;
                            continue;
                        }
                        skipBreak = skipLf = false;
                    }
                    if (next < drop.Count && absolute >= drop[next].Start)
                    {
                        var end = drop[next].Start + drop[next].Length;
                        var skip = (int)Math.Min(read - i, end - absolute);
                        i += skip;
                        if (position + i >= end)
                        {
                            next++;
                            skipBreak = true;
                        }
                        continue;
                    }
                    var until = next < drop.Count ? (int)Math.Min(read, drop[next].Start - position) : read;
                    await output.WriteAsync(buffer.AsMemory(i, until - i), cancellationToken);
                    i = until;
                }
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes through to the file while hashing and counting.</summary>
    private sealed class HashingWriter(Stream file) : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Size { get; private set; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            _hash.AppendData(bytes.Span);
            Size += bytes.Length;
            await file.WriteAsync(bytes, cancellationToken);
        }

        public string Oid() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public void Dispose() => _hash.Dispose();
    }
}
