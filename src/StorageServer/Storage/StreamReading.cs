using System.Buffers;
using System.Security.Cryptography;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

internal static class StreamReading
{
    /// <summary>The largest buffer an object transfer rents: keeps the disk and SHA-256 busy on large objects.</summary>
    public const int MaxChunk = 1024 * 1024;

    private const int MinChunk = 4096;

    /// <summary>
    /// The buffer size for streaming an object of <paramref name="expectedSize"/> bytes: its size,
    /// capped at <paramref name="maxChunk"/>. A 64 KiB object rents 64 KiB, not a 1 MiB array: those
    /// live on the large object heap and stay in the shared pool after the request, and git-lfs's 8
    /// concurrent uploads of small objects held 16 MiB of them (issue 17). The byte past the expected
    /// size that tells an oversized body is read by the next pass of the caller's loop.
    /// </summary>
    public static int ChunkFor(long expectedSize, int maxChunk = MaxChunk) => (int)Math.Clamp(expectedSize, MinChunk, maxChunk);

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> with up to <paramref name="count"/> bytes; fewer only at the end of the stream.</summary>
    public static async Task<int> FillAsync(Stream content, byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await content.ReadAsync(buffer.AsMemory(offset + filled, count - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    /// <summary>Reads and hashes at most <paramref name="expectedSize"/> + 1 bytes without keeping them (proof of possession).</summary>
    public static async Task<(long Received, Oid Hash)> HashOnlyAsync(Stream content, long expectedSize, CancellationToken cancellationToken)
    {
        var chunk = ChunkFor(expectedSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(chunk);
        long received = 0;
        try
        {
            int read;
            while (received <= expectedSize
                && (read = await FillAsync(content, buffer, 0, (int)Math.Min(chunk, expectedSize + 1 - received), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (received, Oid.FromHash(hash.GetHashAndReset()));
    }
}
