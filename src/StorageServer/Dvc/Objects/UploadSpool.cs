using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// Streams a request body into a staging file, computing MD5 and SHA-256 (and, for the legacy
/// tree, md5-dos2unix) in the same pass. The disk write of one chunk overlaps the network read and
/// hashing of the next. Reads at most <c>maxSize + 1</c> bytes, so an oversized body is stopped
/// as soon as it passes the limit.
/// </summary>
public static class UploadSpool
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>The spooled upload, or null when the body is larger than <paramref name="maxSize"/> (nothing is left behind).</summary>
    public static async Task<SpooledUpload?> WriteAsync(Stream body, string path, long maxSize, bool legacy, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var dos2Unix = legacy ? new Dos2UnixMd5() : null;
        var current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var spare = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long received = 0;
        var kept = false;
        try
        {
            using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous))
            {
                var pendingWrite = Task.CompletedTask;
                while (true)
                {
                    var read = await FillAsync(body, current, (int)Math.Min(ChunkSize, maxSize + 1 - received), cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }
                    md5.AppendData(current, 0, read);
                    sha256.AppendData(current, 0, read);
                    dos2Unix?.Append(current.AsSpan(0, read));
                    await pendingWrite;
                    pendingWrite = Write(file, current, read, received, cancellationToken);
                    received += read;
                    (current, spare) = (spare, current);
                    if (received > maxSize)
                    {
                        await pendingWrite;
                        return null;
                    }
                }
                await pendingWrite;
            }
            kept = true;
            return new SpooledUpload(path, received, Convert.ToHexStringLower(md5.GetHashAndReset()), Oid.FromHash(sha256.GetHashAndReset()), dos2Unix?.Finish());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(spare);
            if (!kept)
            {
                File.Delete(path);
            }
        }
    }

    private static Task Write(SafeFileHandle file, byte[] buffer, int count, long offset, CancellationToken cancellationToken) =>
        RandomAccess.WriteAsync(file, buffer.AsMemory(0, count), offset, cancellationToken).AsTask();

    private static async Task<int> FillAsync(Stream body, byte[] buffer, int want, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < want)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled, want - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
