using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Storage.S3;
using StorageServer.Tests.Support;
using Oid = StorageServer.Protocol.Oid;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Storage.S3;

/// <summary>
/// What s3rver cannot show (it has no versioning and no ListMultipartUploads), checked against a
/// fake that answers the way AWS S3 documents.
/// </summary>
public sealed class S3FeaturesBeyondS3rverTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static S3ObjectStore Store(Amazon.S3.IAmazonS3 client) => new(client,
        new S3StoreOptions { Bucket = "b", ServiceUrl = new Uri("http://s3.invalid"), Prefix = "p" },
        "node-a", new FakeTimeProvider(Start), NullLogger<S3ObjectStore>.Instance);

    [Fact]
    public async Task Delete_on_a_versioned_bucket_removes_every_version_of_the_key_and_only_that_key()
    {
        var key = $"p/objects/{Oid.Empty.ShardedPath('/')}";
        var (client, fake) = FakeS3Client.Create();
        fake.On<GetObjectMetadataRequest, GetObjectMetadataResponse>(_ => new GetObjectMetadataResponse { ContentLength = 0 })
            .On<DeleteObjectRequest, DeleteObjectResponse>(_ => new DeleteObjectResponse())
            .On<ListVersionsRequest, ListVersionsResponse>(request => request.KeyMarker is null
                ? new ListVersionsResponse
                {
                    IsTruncated = true,
                    NextKeyMarker = key,
                    NextVersionIdMarker = "v2",
                    Versions = [Version(key, "marker", deleteMarker: true), Version(key, "v1"), Version(key, "v2")],
                }
                : new ListVersionsResponse { IsTruncated = false, Versions = [Version(key, "v0"), Version(key + ".longer", "other")] });

        Assert.True(await Store(client).DeleteAsync(Oid.Empty, CancellationToken.None));

        var deletes = fake.Sent<DeleteObjectRequest>();
        Assert.Equal([null, "marker", "v1", "v2", "v0"], deletes.Select(d => d.VersionId));
        Assert.All(deletes, d => Assert.Equal(key, d.Key));
    }

    [Fact]
    public async Task Cleanup_aborts_only_this_nodes_multipart_uploads_started_before_the_store()
    {
        var (client, fake) = FakeS3Client.Create();
        fake.On<ListMultipartUploadsRequest, ListMultipartUploadsResponse>(request => new ListMultipartUploadsResponse
            {
                IsTruncated = false,
                MultipartUploads = request.Prefix == "p/tmp/node-a/"
                    ? [Upload("p/tmp/node-a/x.1", "stale", Start.AddHours(-2)), Upload("p/tmp/node-a/x.2", "running", Start.AddSeconds(5))]
                    : [],
            })
            .On<AbortMultipartUploadRequest, AbortMultipartUploadResponse>(_ => new AbortMultipartUploadResponse())
            .On<ListObjectsV2Request, ListObjectsV2Response>(_ => new ListObjectsV2Response { IsTruncated = false, S3Objects = [] });

        Assert.Equal(1, await Store(client).DeleteAbandonedUploadsAsync(CancellationToken.None));
        Assert.Equal(["stale"], fake.Sent<AbortMultipartUploadRequest>().Select(a => a.UploadId));
        Assert.Equal("p/tmp/node-a/", Assert.Single(fake.Sent<ListMultipartUploadsRequest>()).Prefix);
    }

    [Fact]
    public async Task Objects_over_5_GiB_are_made_visible_by_a_multipart_copy()
    {
        var (client, fake) = FakeS3Client.Create();
        fake.On<InitiateMultipartUploadRequest, InitiateMultipartUploadResponse>(_ => new InitiateMultipartUploadResponse { UploadId = "u" })
            .On<CopyPartRequest, CopyPartResponse>(request => new CopyPartResponse { ETag = $"e{request.PartNumber}" })
            .On<CompleteMultipartUploadRequest, CompleteMultipartUploadResponse>(_ => new CompleteMultipartUploadResponse());
        const long gib = 1L << 30;

        await new S3ObjectCopier(client, "b").CopyAsync("tmp", "final", 5 * gib + 1, CancellationToken.None);

        var parts = fake.Sent<CopyPartRequest>();
        Assert.Equal(6, parts.Count);
        Assert.Equal((5 * gib, 5 * gib), (parts[^1].FirstByte, parts[^1].LastByte));
        Assert.All(parts, p => Assert.Equal(("tmp", "final", "u"), (p.SourceKey, p.DestinationKey, p.UploadId)));
        var complete = Assert.Single(fake.Sent<CompleteMultipartUploadRequest>());
        Assert.Equal(["e1", "e2", "e3", "e4", "e5", "e6"], complete.PartETags.Select(e => e.ETag));
    }

    private static S3ObjectVersion Version(string key, string id, bool deleteMarker = false) =>
        new() { Key = key, VersionId = id, IsDeleteMarker = deleteMarker };

    private static MultipartUpload Upload(string key, string id, DateTimeOffset initiated) =>
        new() { Key = key, UploadId = id, Initiated = initiated.UtcDateTime };
}
