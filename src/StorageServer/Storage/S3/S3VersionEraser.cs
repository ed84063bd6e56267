using Amazon.S3;
using Amazon.S3.Model;

namespace StorageServer.Storage.S3;

/// <summary>
/// On a versioned bucket a DeleteObject only adds a delete marker and the bytes stay; erasure must
/// delete every version of the key by id. Servers without versioning (s3rver) answer
/// NotImplemented, which is remembered so later deletes skip the listing.
/// </summary>
internal sealed class S3VersionEraser(IAmazonS3 client, string bucket)
{
    private volatile bool _unsupported;

    /// <summary>Deletes every version and delete marker of <paramref name="key"/>; returns how many held data.</summary>
    public async Task<int> DeleteAllVersionsAsync(string key, CancellationToken cancellationToken)
    {
        if (_unsupported)
        {
            return 0;
        }
        var removed = 0;
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = key };
        ListVersionsResponse page;
        do
        {
            try
            {
                page = await client.ListVersionsAsync(request, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.IsUnsupported())
            {
                _unsupported = true;
                return removed;
            }
            foreach (var version in page.Versions ?? [])
            {
                if (version.Key != key)
                {
                    continue; // same prefix, longer key
                }
                await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, VersionId = version.VersionId }, cancellationToken);
                removed += version.IsDeleteMarker == true ? 0 : 1;
            }
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
        while (page.IsTruncated == true);
        return removed;
    }
}
