using Amazon.S3;
using Amazon.S3.Model;

namespace StorageServer.Storage.S3;

/// <summary>
/// Server-side copy of a verified upload to its final key: one CopyObject up to 5 GiB (the S3
/// limit for it), a multipart copy (UploadPartCopy) above. Either way the destination appears
/// only whole.
/// </summary>
internal sealed class S3ObjectCopier(IAmazonS3 client, string bucket)
{
    public const long MaxSingleCopySize = 5L * 1024 * 1024 * 1024;
    private const long CopyPartSize = 1L * 1024 * 1024 * 1024;

    /// <param name="sourceETag">When set, the copy fails (412) unless the source still has this ETag.</param>
    public async Task CopyAsync(string sourceKey, string destinationKey, long size, CancellationToken cancellationToken, string? sourceETag = null)
    {
        if (size <= MaxSingleCopySize)
        {
            await client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = bucket,
                SourceKey = sourceKey,
                DestinationBucket = bucket,
                DestinationKey = destinationKey,
                ETagToMatch = sourceETag,
            }, cancellationToken);
            return;
        }
        await MultipartCopyAsync(sourceKey, destinationKey, size, sourceETag, cancellationToken);
    }

    private async Task MultipartCopyAsync(string sourceKey, string destinationKey, long size, string? sourceETag, CancellationToken cancellationToken)
    {
        var uploadId = (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = destinationKey }, cancellationToken)).UploadId;
        try
        {
            var parts = new List<PartETag>();
            for (long first = 0; first < size; first += CopyPartSize)
            {
                var response = await client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = bucket,
                    SourceKey = sourceKey,
                    DestinationBucket = bucket,
                    DestinationKey = destinationKey,
                    UploadId = uploadId,
                    PartNumber = parts.Count + 1,
                    FirstByte = first,
                    LastByte = Math.Min(first + CopyPartSize, size) - 1,
                    ETagToMatch = sourceETag is null ? null : [sourceETag],
                }, cancellationToken);
                parts.Add(new PartETag(parts.Count + 1, response.ETag));
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = destinationKey,
                UploadId = uploadId,
                PartETags = parts,
            }, cancellationToken);
            uploadId = null;
        }
        finally
        {
            if (uploadId is not null)
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = destinationKey, UploadId = uploadId }, CancellationToken.None);
            }
        }
    }
}
