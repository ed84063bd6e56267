using System.Buffers;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.Azure;

/// <summary>
/// Streams a body into one block blob, hashing as the bytes flow. A body of at most one block goes
/// up as a single Put Blob after it was checked. A longer one is staged block by block (block k
/// uploads while block k+1 is read: two pooled buffers, whatever the size); staged blocks are
/// uncommitted, which the service never serves or lists, and the block list is committed only
/// after the whole body's size and SHA-256 matched. A body that does not match is never committed;
/// the service discards uncommitted blocks by itself (within a week, or at the blob's next commit).
/// Commits are conditional on the blob not existing: a verified object is never overwritten, so a
/// versioned account gets no extra version from a concurrent upload of the same object.
/// </summary>
internal sealed class AzureBlockUploader(int blockSize)
{
    // A transactional MD5 per request (Content-MD5), which the service checks on arrival. Not the SDK's
    // CRC-64 default: it frames bodies as "structured messages", which azurite does not acknowledge.
    private static readonly UploadTransferValidationOptions TransportCheck = new() { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 };

    public async Task<BlockUploadOutcome> UploadAsync(BlockBlobClient blob, Stream content, long expectedSize, Oid expectedOid, CancellationToken cancellationToken)
    {
        using var reader = new HashingPartReader(content, expectedSize, blockSize);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var current = ArrayPool<byte>.Shared.Rent(blockSize);
        var spare = ArrayPool<byte>.Shared.Rent(blockSize);
        var blocks = new AzureBlockIds();
        Task? pending = null;
        try
        {
            var (filled, last) = await reader.ReadPartAsync(current, cancellationToken);
            while (!last)
            {
                if (pending is not null)
                {
                    await pending;
                }
                pending = StageAsync(blob, blocks.Next(), current, filled, failed.Token);
                (current, spare) = (spare, current);
                (filled, last) = await reader.ReadPartAsync(current, cancellationToken);
            }

            var received = reader.Received;
            var actual = reader.Hash();
            if (received != expectedSize || actual != expectedOid)
            {
                return new BlockUploadOutcome(received, actual, Committed: false);
            }
            if (blocks.Count == 0)
            {
                await PutSingleAsync(blob, current, filled, cancellationToken);
            }
            else
            {
                await pending!;
                pending = null;
                await StageAsync(blob, blocks.Next(), current, filled, cancellationToken);
                await blob.CommitBlockListAsync(blocks.All, new CommitBlockListOptions { Conditions = AzureConditions.OnlyIfAbsent }, cancellationToken);
            }
            return new BlockUploadOutcome(received, actual, Committed: true);
        }
        finally
        {
            // Never hand a buffer back to the pool while the SDK may still read it.
            await failed.CancelAsync();
            if (pending is not null)
            {
                try
                {
                    await pending;
                }
                catch (Exception)
                {
                    // The upload is being abandoned (its own error, if any, is already on its way up);
                    // its staged blocks were never committed.
                }
            }
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    private static async Task StageAsync(BlockBlobClient blob, string blockId, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        await blob.StageBlockAsync(blockId, body, new BlockBlobStageBlockOptions { TransferValidation = TransportCheck }, cancellationToken);
    }

    private async Task PutSingleAsync(BlockBlobClient blob, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        await blob.UploadAsync(body, new BlobUploadOptions
        {
            Conditions = AzureConditions.OnlyIfAbsent,
            TransferValidation = TransportCheck,
            // One Put Blob: the body is at most one block and already checked.
            TransferOptions = new StorageTransferOptions { InitialTransferSize = blockSize, MaximumTransferSize = blockSize },
        }, cancellationToken);
    }
}
