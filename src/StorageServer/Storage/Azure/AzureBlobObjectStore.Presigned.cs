using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.Azure;

public sealed partial class AzureBlobObjectStore : IPresignedTransferStore
{
    /// <summary>Put Blob needs it; it is part of what the client must send.</summary>
    public const string BlobTypeHeader = "x-ms-blob-type";

    /// <summary>The largest body one Put Blob takes (5000 MiB); larger objects upload through the server.</summary>
    public long MaxDirectUploadSize => 5000L * 1024 * 1024;

    public bool DirectTransfersEnabled { get; }

    public async Task<PresignedRequest> CreateDownloadAsync(Oid oid, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var expiresAt = _timeProvider.GetUtcNow() + lifetime;
        var url = await _signer.SignAsync(_container.GetBlobClient(_keys.Final(oid)), BlobSasPermissions.Read, expiresAt, cancellationToken);
        return new PresignedRequest(url, new Dictionary<string, string>(), expiresAt);
    }

    /// <summary>
    /// A SAS with only the Create permission on a staging blob of its own: the client can write it
    /// once and never overwrite it, so the bytes the verify checks are the bytes it copies.
    /// </summary>
    public async Task<PresignedRequest> CreateUploadAsync(Oid oid, long size, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var expiresAt = _timeProvider.GetUtcNow() + lifetime;
        var uploadId = Guid.NewGuid().ToString("N");
        var url = await _signer.SignAsync(_container.GetBlobClient(_keys.Staging(oid, uploadId)), BlobSasPermissions.Create, expiresAt, cancellationToken);
        return new PresignedRequest(url, new Dictionary<string, string> { [BlobTypeHeader] = "BlockBlob" }, expiresAt, uploadId);
    }

    public async Task<PutResult?> CompleteUploadAsync(Oid oid, long expectedSize, string uploadId, CancellationToken cancellationToken)
    {
        if (!ObjectKeyLayout.IsUploadId(uploadId))
        {
            return null;
        }
        var staged = _container.GetBlobClient(_keys.Staging(oid, uploadId));
        try
        {
            BlobDownloadStreamingResult download;
            try
            {
                download = (await staged.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            }
            catch (RequestFailedException e) when (e.IsNotFound())
            {
                return null;
            }
            PutResult verdict;
            using (download)
            {
                var (received, hash) = await StreamReading.HashOnlyAsync(download.Content, expectedSize, cancellationToken);
                verdict = PutVerdict.Judge(oid, expectedSize, received, hash, PutStatus.Stored);
            }
            if (!verdict.Succeeded)
            {
                return verdict;
            }
            var final = _container.GetBlockBlobClient(_keys.Final(oid));
            if (await SizeAsync(final, cancellationToken) is not null)
            {
                return new PutResult(PutStatus.AlreadyExists, verdict.BytesReceived);
            }
            await _copier.CopyAsync(staged, final, expectedSize, download.Details.ETag, cancellationToken);
            return verdict;
        }
        catch (RequestFailedException e) when (e.IsAlreadyExists())
        {
            return new PutResult(PutStatus.AlreadyExists, expectedSize);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // The staged blob changed after it was checked (its ETag no longer matches): publish nothing.
            return new PutResult(PutStatus.HashMismatch, 0);
        }
        finally
        {
            await DeleteQuietlyAsync(staged.Name);
        }
    }
}
