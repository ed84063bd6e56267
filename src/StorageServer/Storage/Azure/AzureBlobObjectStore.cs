using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.Azure;

/// <summary>
/// Objects as block blobs at <c>&lt;prefix&gt;objects/aa/bb/&lt;oid&gt;</c> in one container. An
/// upload stages its blocks on the object's blob, where uncommitted blocks are invisible, and
/// commits the block list only once size and SHA-256 matched (<see cref="AzureBlockUploader"/>):
/// the blob never exists with unverified bytes, and a crash mid-upload leaves nothing visible.
/// </summary>
public sealed partial class AzureBlobObjectStore : IObjectStore, ITemporaryFileCleanup
{
    private readonly BlobContainerClient _container;
    private readonly ObjectKeyLayout _keys;
    private readonly AzureBlockUploader _uploader;
    private readonly AzureVersionEraser _eraser;
    private readonly AzureSasSigner _signer;
    private readonly AzureBlobCopier _copier;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public AzureBlobObjectStore(BlobContainerClient container, AzureBlobStoreOptions options, TimeProvider timeProvider, ILogger<AzureBlobObjectStore> logger)
    {
        _container = container;
        // Uploads in flight have no key of their own here (their blocks are uncommitted), so no node part.
        _keys = new ObjectKeyLayout(options.NormalizedPrefix, nodeId: string.Empty);
        _uploader = new AzureBlockUploader(options.BlockSize);
        _eraser = new AzureVersionEraser(container);
        _signer = new AzureSasSigner(container, timeProvider);
        _copier = new AzureBlobCopier(_signer, timeProvider);
        _timeProvider = timeProvider;
        _logger = logger;
        DirectTransfersEnabled = options.DirectTransfers;
    }

    public string Name => "azure-blob";

    public async Task<ObjectInfo?> GetInfoAsync(Oid oid, CancellationToken cancellationToken)
    {
        var size = await SizeAsync(_container.GetBlobClient(_keys.Final(oid)), cancellationToken);
        return size is null ? null : new ObjectInfo(oid, size.Value);
    }

    public async Task<Stream?> OpenReadAsync(Oid oid, long offset, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(_keys.Final(oid));
        try
        {
            // The content stream reads the HTTP body as the caller reads (a dropped connection
            // resumes with a ranged GET pinned to the same ETag); nothing is buffered.
            var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset) }, cancellationToken);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.IsNotFound())
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return Stream.Null; // the offset is at (or past) the end of an existing object
        }
    }

    public async Task<PutResult> PutAsync(Oid oid, long expectedSize, Stream content, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlockBlobClient(_keys.Final(oid));
        if (await SizeAsync(blob, cancellationToken) is not null)
        {
            var (received, hashed) = await StreamReading.HashOnlyAsync(content, expectedSize, cancellationToken);
            return PutVerdict.Judge(oid, expectedSize, received, hashed, PutStatus.AlreadyExists);
        }
        try
        {
            var outcome = await _uploader.UploadAsync(blob, content, expectedSize, oid, cancellationToken);
            return PutVerdict.Judge(oid, expectedSize, outcome.Received, outcome.Hash, PutStatus.Stored);
        }
        catch (RequestFailedException e) when (e.IsAlreadyExists())
        {
            // A concurrent upload of the same object committed first; ours was verified to be the same bytes.
            return new PutResult(PutStatus.AlreadyExists, expectedSize);
        }
    }

    public Task<bool> DeleteAsync(Oid oid, CancellationToken cancellationToken) =>
        _eraser.DeleteEverythingAsync(_keys.Final(oid), cancellationToken);

    public async IAsyncEnumerable<ObjectInfo> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _keys.ObjectsPrefix }, cancellationToken))
        {
            if (_keys.TryParseFinal(item.Name, out var oid))
            {
                yield return new ObjectInfo(oid, item.Properties.ContentLength ?? 0);
            }
        }
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _keys.ObjectsPrefix }, cancellationToken).AsPages(pageSizeHint: 1))
        {
            return;
        }
    }

    /// <summary>
    /// Staged direct uploads whose verify never came (a day after they were written). Uploads
    /// through this server leave only uncommitted blocks, which the service discards by itself.
    /// </summary>
    public async Task<int> DeleteAbandonedUploadsAsync(CancellationToken cancellationToken)
    {
        var cutoff = _timeProvider.GetUtcNow() - TimeSpan.FromDays(1);
        var count = 0;
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _keys.StagingPrefix }, cancellationToken))
        {
            if (item.Properties.LastModified is not { } written || written < cutoff)
            {
                count += await _eraser.DeleteEverythingAsync(item.Name, cancellationToken) ? 1 : 0;
            }
        }
        return count;
    }

    /// <summary>Not cancellable: it runs because an operation ended, however it ended.</summary>
    private async Task DeleteQuietlyAsync(string name)
    {
        try
        {
            await _eraser.DeleteEverythingAsync(name, CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not delete staged blob {Name}; the cleanup at next start removes it", name);
        }
    }

    private static async Task<long?> SizeAsync(BlobBaseClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.IsNotFound())
        {
            return null;
        }
    }
}
