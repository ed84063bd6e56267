using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.S3;

/// <summary>
/// Objects in an S3-compatible bucket at <c>&lt;prefix&gt;objects/aa/bb/&lt;oid&gt;</c>. An upload
/// streams to a temporary key of this node (<see cref="S3MultipartUploader"/>), is completed only
/// when its size and SHA-256 match, and is then copied server-side to the final key and the
/// temporary key deleted: the final key never holds unverified bytes.
/// </summary>
public sealed partial class S3ObjectStore : IObjectStore, ITemporaryFileCleanup
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly ObjectKeyLayout _keys;
    private readonly S3MultipartUploader _uploader;
    private readonly S3ObjectCopier _copier;
    private readonly S3VersionEraser _eraser;
    private readonly TimeProvider _timeProvider;
    private readonly DateTimeOffset _startedAt;
    private readonly ILogger _logger;
    private readonly Amazon.S3.Protocol _protocol;

    public S3ObjectStore(IAmazonS3 client, S3StoreOptions options, string nodeId, TimeProvider timeProvider, ILogger<S3ObjectStore> logger)
    {
        _client = client;
        _bucket = options.Bucket ?? throw new ArgumentException($"{S3StoreOptions.Section}:Bucket is required.", nameof(options));
        _keys = new ObjectKeyLayout(options.NormalizedPrefix, nodeId);
        _protocol = options.ServiceUrl?.Scheme == Uri.UriSchemeHttp ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS;
        _uploader = new S3MultipartUploader(client, _bucket, options.PartSize, overHttps: _protocol == Amazon.S3.Protocol.HTTPS, logger);
        _copier = new S3ObjectCopier(client, _bucket);
        _eraser = new S3VersionEraser(client, _bucket);
        _timeProvider = timeProvider;
        _startedAt = timeProvider.GetUtcNow();
        _logger = logger;
        DirectTransfersEnabled = options.DirectTransfers;
    }

    public string Name => "s3";

    public async Task<ObjectInfo?> GetInfoAsync(Oid oid, CancellationToken cancellationToken)
    {
        var size = await HeadAsync(_keys.Final(oid), cancellationToken);
        return size is null ? null : new ObjectInfo(oid, size.Value);
    }

    public async Task<Stream?> OpenReadAsync(Oid oid, long offset, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = _keys.Final(oid) };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }
        try
        {
            // The response stream is the HTTP body itself: nothing is buffered, the caller disposes it.
            var response = await _client.GetObjectAsync(request, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.IsNotFound())
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return Stream.Null; // the offset is at (or past) the end of an existing object
        }
    }

    public async Task<PutResult> PutAsync(Oid oid, long expectedSize, Stream content, CancellationToken cancellationToken)
    {
        var finalKey = _keys.Final(oid);
        if (await HeadAsync(finalKey, cancellationToken) is not null)
        {
            var (received, hashed) = await StreamReading.HashOnlyAsync(content, expectedSize, cancellationToken);
            return PutVerdict.Judge(oid, expectedSize, received, hashed, PutStatus.AlreadyExists);
        }

        var tempKey = _keys.NewTemp(oid);
        // Until the uploader says it completed nothing, a failure may have left the temporary key behind.
        var tempMayExist = true;
        try
        {
            var outcome = await _uploader.UploadAsync(tempKey, content, expectedSize, oid, cancellationToken);
            tempMayExist = outcome.Committed;
            var verdict = PutVerdict.Judge(oid, expectedSize, outcome.Received, outcome.Hash, PutStatus.Stored);
            if (verdict.Succeeded)
            {
                await _copier.CopyAsync(tempKey, finalKey, outcome.Received, cancellationToken);
            }
            return verdict;
        }
        finally
        {
            if (tempMayExist)
            {
                await DeleteTempQuietlyAsync(tempKey);
            }
        }
    }

    public async Task<bool> DeleteAsync(Oid oid, CancellationToken cancellationToken)
    {
        var key = _keys.Final(oid);
        var existed = await HeadAsync(key, cancellationToken) is not null;
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);
        var olderVersions = await _eraser.DeleteAllVersionsAsync(key, cancellationToken);
        return existed || olderVersions > 0;
    }

    public async IAsyncEnumerable<ObjectInfo> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var listed in ListAsync(cancellationToken))
        {
            yield return new ObjectInfo(listed.Oid, listed.Size);
        }
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken) =>
        await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _keys.ObjectsPrefix, MaxKeys = 1 }, cancellationToken);

    /// <summary>The object's size, or null on 404.</summary>
    private async Task<long?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, cancellationToken);
            return response.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.IsNotFound())
        {
            return null;
        }
    }

    private async Task DeleteTempQuietlyAsync(string tempKey)
    {
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = tempKey }, CancellationToken.None);
            await _eraser.DeleteAllVersionsAsync(tempKey, CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not delete temporary key {Key}; the cleanup at next start removes it", tempKey);
        }
    }
}
