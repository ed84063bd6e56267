using Amazon.S3;
using Amazon.S3.Model;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.S3;

public sealed partial class S3ObjectStore : IPresignedTransferStore
{
    /// <summary>Header carrying the base64 SHA-256 of the body; AWS S3 refuses a body that does not match it.</summary>
    public const string ChecksumHeader = "x-amz-checksum-sha256";

    public bool DirectTransfersEnabled { get; }

    /// <summary>The largest body one PutObject takes (5 GiB); larger objects upload through the server in parts.</summary>
    public long MaxDirectUploadSize => 5L * 1024 * 1024 * 1024;

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
        var checksum = Checksum(oid);
        var uploadId = Guid.NewGuid().ToString("N");
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = _keys.Staging(oid, uploadId),
            Verb = HttpVerb.PUT,
            Expires = expiresAt.UtcDateTime,
            Protocol = _protocol,
        };
        request.Headers[ChecksumHeader] = checksum;
        var url = await _client.GetPreSignedURLAsync(request);
        return new PresignedRequest(new Uri(url), new Dictionary<string, string> { [ChecksumHeader] = checksum }, expiresAt, uploadId);
    }

    public async Task<PutResult?> CompleteUploadAsync(Oid oid, long expectedSize, string uploadId, CancellationToken cancellationToken)
    {
        if (!ObjectKeyLayout.IsUploadId(uploadId))
        {
            return null;
        }
        var stagingKey = _keys.Staging(oid, uploadId);
        try
        {
            var staged = await StagedVerdictAsync(oid, expectedSize, stagingKey, cancellationToken);
            if (staged is not { Verdict.Succeeded: true } checkedUpload)
            {
                return staged?.Verdict;
            }
            if (await HeadAsync(_keys.Final(oid), cancellationToken) is not null)
            {
                return new PutResult(PutStatus.AlreadyExists, checkedUpload.Verdict.BytesReceived);
            }
            // The ETag pins the copy to the bytes just checked: a second PUT to the staging URL in
            // between makes the copy fail instead of publishing bytes nobody checked.
            await _copier.CopyAsync(stagingKey, _keys.Final(oid), expectedSize, cancellationToken, checkedUpload.ETag);
            return checkedUpload.Verdict;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            return new PutResult(PutStatus.HashMismatch, 0);
        }
        finally
        {
            await DeleteTempQuietlyAsync(stagingKey);
        }
    }

    private async Task<(PutResult Verdict, string ETag)?> StagedVerdictAsync(Oid oid, long expectedSize, string stagingKey, CancellationToken cancellationToken)
    {
        GetObjectMetadataResponse head;
        try
        {
            head = await _client.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = _bucket, Key = stagingKey, ChecksumMode = ChecksumMode.ENABLED }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.IsNotFound())
        {
            return null;
        }
        if (head.ContentLength != expectedSize)
        {
            return (new PutResult(PutStatus.SizeMismatch, head.ContentLength), head.ETag);
        }
        if (head.ChecksumSHA256 == Checksum(oid) && head.ChecksumType != ChecksumType.COMPOSITE)
        {
            // The store computed this full-object SHA-256 itself when it accepted the PUT (AWS S3).
            return (new PutResult(PutStatus.Stored, head.ContentLength), head.ETag);
        }
        // s3rver, MinIO without checksums…: read the bytes back and hash them here.
        using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = stagingKey, EtagToMatch = head.ETag }, cancellationToken);
        var (received, hash) = await StreamReading.HashOnlyAsync(response.ResponseStream, expectedSize, cancellationToken);
        return (PutVerdict.Judge(oid, expectedSize, received, hash, PutStatus.Stored), head.ETag);
    }

    private static string Checksum(Oid oid) => Convert.ToBase64String(Convert.FromHexString(oid.Value));
}
