using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace StorageServer.Storage.Azure;

/// <summary>
/// Deleting a blob takes its snapshots with it (<see cref="DeleteSnapshotsOption.IncludeSnapshots"/>),
/// but on an account with blob versioning the service keeps the deleted content as a previous
/// version: erasure must delete every version by id. Services without versioning (azurite) refuse
/// the version listing, which is remembered so later deletes skip it.
/// </summary>
internal sealed class AzureVersionEraser(BlobContainerClient container)
{
    private volatile bool _unsupported;

    /// <summary>Deletes the blob, its snapshots and every earlier version; true when any held data.</summary>
    public async Task<bool> DeleteEverythingAsync(string name, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        var existed = (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value;
        return await DeleteVersionsAsync(blob, cancellationToken) > 0 || existed;
    }

    private async Task<int> DeleteVersionsAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        if (_unsupported)
        {
            return 0;
        }
        var removed = 0;
        try
        {
            var versions = container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.Version | BlobStates.Snapshots, Prefix = blob.Name }, cancellationToken);
            await foreach (var item in versions)
            {
                if (item.Name != blob.Name)
                {
                    continue; // same prefix, longer name
                }
                if (item.VersionId is { } versionId)
                {
                    removed += (await blob.WithVersion(versionId).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value ? 1 : 0;
                }
                else if (item.Snapshot is { } snapshot)
                {
                    removed += (await blob.WithSnapshot(snapshot).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value ? 1 : 0;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status is 400 or 501)
        {
            _unsupported = true;
        }
        return removed;
    }
}
