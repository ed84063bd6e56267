using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace StorageServer.Storage.Azure;

/// <summary>
/// Server-side copy of a verified staged upload to the object's blob: Put Block From URL in
/// ranges (the service copies, no byte passes through this server), each pinned to the ETag that
/// was checked, then one block list commit. The object's blob appears only whole, and only if it
/// did not exist.
/// </summary>
internal sealed class AzureBlobCopier(AzureSasSigner signer, TimeProvider timeProvider)
{
    /// <summary>Well under the service's 4000 MiB per Put Block From URL; one request per range.</summary>
    private const long CopyBlockSize = 256L * 1024 * 1024;

    public async Task CopyAsync(BlobBaseClient source, BlockBlobClient destination, long size, ETag sourceETag, CancellationToken cancellationToken)
    {
        var sourceUrl = await signer.SignAsync(source, BlobSasPermissions.Read, timeProvider.GetUtcNow().AddHours(1), cancellationToken);
        var blocks = new AzureBlockIds();
        for (long first = 0; first < size; first += CopyBlockSize)
        {
            await destination.StageBlockFromUriAsync(sourceUrl, blocks.Next(), new StageBlockFromUriOptions
            {
                SourceRange = new HttpRange(first, Math.Min(CopyBlockSize, size - first)),
                SourceConditions = new RequestConditions { IfMatch = sourceETag },
            }, cancellationToken);
        }
        await destination.CommitBlockListAsync(blocks.All, new CommitBlockListOptions { Conditions = AzureConditions.OnlyIfAbsent }, cancellationToken);
    }
}
