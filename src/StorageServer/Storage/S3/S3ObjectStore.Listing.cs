using System.Runtime.CompilerServices;
using Amazon.S3.Model;

namespace StorageServer.Storage.S3;

public sealed partial class S3ObjectStore : IObjectStoreListing
{
    public async IAsyncEnumerable<ListedObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _keys.ObjectsPrefix };
        ListObjectsV2Response page;
        do
        {
            page = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                // An object without a time is treated as new: reconciliation only reclaims old ones.
                if (_keys.TryParseFinal(item.Key, out var oid))
                {
                    yield return new ListedObject(oid, item.Size ?? 0, item.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime()) : DateTimeOffset.MaxValue);
                }
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }
}
