using Amazon.S3;
using Amazon.S3.Model;

namespace StorageServer.Storage.S3;

public sealed partial class S3ObjectStore
{
    /// <summary>
    /// Aborts this node's multipart uploads and deletes its temporary keys that are older than this
    /// store instance: what a crash or a failed abort left under <c>&lt;prefix&gt;tmp/&lt;node&gt;/</c>.
    /// </summary>
    public async Task<int> DeleteAbandonedUploadsAsync(CancellationToken cancellationToken) =>
        await AbortStaleMultipartUploadsAsync(cancellationToken)
        + await DeleteKeysAsync(_keys.NodeTempPrefix, IsStale, cancellationToken)
        + await DeleteKeysAsync(_keys.StagingPrefix, IsAbandonedStaging, cancellationToken);

    /// <summary>
    /// Staged direct uploads belong to no node. A client calls verify right after its PUT
    /// completes (which is when the staged key appears), so one written a day ago was abandoned.
    /// Deleting it exposes or loses nothing: it never became an object.
    /// </summary>
    private bool IsAbandonedStaging(DateTime? time) =>
        time is null || time.Value.ToUniversalTime() < (_timeProvider.GetUtcNow() - TimeSpan.FromDays(1)).UtcDateTime;

    private async Task<int> AbortStaleMultipartUploadsAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        var request = new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _keys.NodeTempPrefix };
        ListMultipartUploadsResponse page;
        do
        {
            try
            {
                page = await _client.ListMultipartUploadsAsync(request, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.IsUnsupported())
            {
                _logger.LogWarning("The S3 server cannot list multipart uploads ({Error}); parts of interrupted uploads stay until a bucket lifecycle rule removes them", e.ErrorCode);
                return count;
            }
            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (IsStale(upload.Initiated))
                {
                    await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken);
                    count++;
                }
            }
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
        while (page.IsTruncated == true);
        return count;
    }

    private async Task<int> DeleteKeysAsync(string prefix, Func<DateTime?, bool> isStale, CancellationToken cancellationToken)
    {
        var count = 0;
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                if (isStale(item.LastModified))
                {
                    await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = item.Key }, cancellationToken);
                    await _eraser.DeleteAllVersionsAsync(item.Key, cancellationToken);
                    count++;
                }
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return count;
    }

    /// <summary>Older than this instance: an upload of ours still running would be younger.</summary>
    private bool IsStale(DateTime? time) => time is null || time.Value.ToUniversalTime() < _startedAt.UtcDateTime;
}
