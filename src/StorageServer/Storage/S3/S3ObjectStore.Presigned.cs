using Amazon.S3;
using Amazon.S3.Model;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.S3;

public sealed partial class S3ObjectStore : IPresignedTransferStore
{
    /// <summary>Header carrying the base64 SHA-256 of the body; AWS S3 refuses a body that does not match it.</summary>
    public const string ChecksumHeader = "x-amz-checksum-sha256";

    public async Task<PresignedRequest> CreateDownloadAsync(Oid oid, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var expiresAt = _timeProvider.GetUtcNow() + lifetime;
        var url = await _client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = _keys.Final(oid),
            Verb = HttpVerb.GET,
            Expires = expiresAt.UtcDateTime,
            Protocol = _protocol,
        });
        return new PresignedRequest(new Uri(url), new Dictionary<string, string>(), expiresAt);
    }

    public async Task<PresignedRequest> CreateUploadAsync(Oid oid, long size, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var expiresAt = _timeProvider.GetUtcNow() + lifetime;
        var checksum = Convert.ToBase64String(Convert.FromHexString(oid.Value));
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = _keys.Final(oid),
            Verb = HttpVerb.PUT,
            Expires = expiresAt.UtcDateTime,
            Protocol = _protocol,
        };
        request.Headers[ChecksumHeader] = checksum;
        var url = await _client.GetPreSignedURLAsync(request);
        return new PresignedRequest(new Uri(url), new Dictionary<string, string> { [ChecksumHeader] = checksum }, expiresAt);
    }
}
