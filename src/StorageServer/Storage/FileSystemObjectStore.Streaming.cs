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
        var chunk = StreamReading.ChunkFor(expectedSize);
        var current = ArrayPool<byte>.Shared.Rent(chunk);
        var spare = ArrayPool<byte>.Shared.Rent(chunk);
        var pendingWrite = Task.CompletedTask;
        long received = 0;
        try
        {
            while (true)
            {
                var read = await StreamReading.FillAsync(content, current, 0, (int)Math.Min(chunk, expectedSize + 1 - received), cancellationToken);
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
}
