using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

public sealed partial class FileSystemObjectStore
{
    /// <summary>
    /// Reads, hashes and writes in a two-buffer pipeline: the disk write of one chunk overlaps
    /// the network read and hashing of the next. Stops one byte past the expected size.
    /// </summary>
    private static async Task<(long Received, Oid Hash)> WriteHashedAsync(Stream content, SafeFileHandle file, long expectedSize, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var spare = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var pendingWrite = Task.CompletedTask;
        long received = 0;
        try
        {
            while (true)
            {
                var read = await ReadChunkAsync(content, current, expectedSize + 1 - received, cancellationToken);
                if (read == 0)
                {
                    break;
                }
                hash.AppendData(current, 0, read);
                await pendingWrite;
                pendingWrite = RandomAccess.WriteAsync(file, current.AsMemory(0, read), received, cancellationToken).AsTask();
                received += read;
                (current, spare) = (spare, current);
                if (received > expectedSize)
                {
                    break;
                }
            }
            await pendingWrite;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(spare);
        }
        return (received, Oid.FromHash(hash.GetHashAndReset()));
    }

    private static async Task<(long Received, Oid Hash)> HashOnlyAsync(Stream content, long expectedSize, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long received = 0;
        try
        {
            int read;
            while (received <= expectedSize && (read = await ReadChunkAsync(content, buffer, expectedSize + 1 - received, cancellationToken)) > 0)
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

    /// <summary>Fills as much of the buffer as the stream gives, up to <paramref name="limit"/> bytes.</summary>
    private static async Task<int> ReadChunkAsync(Stream content, byte[] buffer, long limit, CancellationToken cancellationToken)
    {
        var want = (int)Math.Min(ChunkSize, limit);
        var filled = 0;
        while (filled < want)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, want - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
