using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.S3;

/// <summary>
/// Streams a body to one key, hashing and counting as the bytes flow. A body of at most one part
/// goes up as a single PutObject after it was checked. A longer one becomes a multipart upload in
/// which part k uploads while part k+1 is read (two pooled part buffers, whatever the object
/// size) and the last part is held back until the whole body was hashed: a body of the wrong size
/// or hash is aborted, never completed, so the key never holds unverified bytes.
/// Parts are sent whole (no aws-chunked framing, which s3rver stores verbatim) and, over HTTPS,
/// unsigned: TLS protects them and this class hashes the body anyway. Over plain HTTP the SDK
/// signs each part's SHA-256.
/// </summary>
internal sealed class S3MultipartUploader(IAmazonS3 client, string bucket, int partSize, bool overHttps, ILogger logger)
{
    public async Task<BlockUploadOutcome> UploadAsync(string key, Stream content, long expectedSize, Oid expectedOid, CancellationToken cancellationToken)
    {
        using var reader = new HashingPartReader(content, expectedSize, partSize);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var current = ArrayPool<byte>.Shared.Rent(partSize);
        var spare = ArrayPool<byte>.Shared.Rent(partSize);
        var parts = new List<PartETag>();
        Task<PartETag>? pending = null;
        string? uploadId = null;
        var completed = false;
        try
        {
            var (filled, last) = await reader.ReadPartAsync(current, cancellationToken);
            while (!last)
            {
                uploadId ??= await InitiateAsync(key, cancellationToken);
                if (pending is not null)
                {
                    parts.Add(await pending);
                }
                pending = UploadPartAsync(key, uploadId, parts.Count + 1, current, filled, failed.Token);
                (current, spare) = (spare, current);
                (filled, last) = await reader.ReadPartAsync(current, cancellationToken);
            }

            var received = reader.Received;
            var actual = reader.Hash();
            if (received != expectedSize || actual != expectedOid)
            {
                return new BlockUploadOutcome(received, actual, Committed: false);
            }
            if (uploadId is null)
            {
                await PutSingleAsync(key, current, filled, cancellationToken);
            }
            else
            {
                parts.Add(await pending!);
                pending = null;
                parts.Add(await UploadPartAsync(key, uploadId, parts.Count + 1, current, filled, failed.Token));
                await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartETags = parts,
                }, cancellationToken);
            }
            completed = true;
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
                    // the abort below discards whatever part arrived.
                }
            }
            if (uploadId is not null && !completed)
            {
                await AbortAsync(key, uploadId);
            }
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    private async Task<string> InitiateAsync(string key, CancellationToken cancellationToken)
    {
        var response = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken);
        return response.UploadId;
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int partNumber, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = partNumber,
            PartSize = count,
            InputStream = body,
            UseChunkEncoding = false,
            DisablePayloadSigning = overHttps,
        }, cancellationToken);
        return new PartETag(partNumber, response.ETag);
    }

    private async Task PutSingleAsync(string key, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            DisablePayloadSigning = overHttps,
        }, cancellationToken);
    }

    /// <summary>Best effort, and deliberately not cancellable: it runs because the upload was cancelled or failed.</summary>
    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
        }
        catch (Exception e)
        {
            // S3 never shows an incomplete upload; the cleanup at next start (or a bucket lifecycle rule) reclaims its parts.
            logger.LogWarning(e, "Could not abort multipart upload {UploadId} of {Key}", uploadId, key);
        }
    }
}
