using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace StorageServer.Storage.Azure;

/// <summary>Builds the container client for <see cref="AzureBlobStoreOptions"/>: shared key, or Microsoft Entra ID.</summary>
public static class AzureBlobClientFactory
{
    public static BlobContainerClient Create(AzureBlobStoreOptions options)
    {
        var clientOptions = new BlobClientOptions();
        // Blocks are at most BlockSize; a stalled connection should fail and be retried, not hang.
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromMinutes(2);
        BlobServiceClient service;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            service = new BlobServiceClient(options.ConnectionString, clientOptions);
        }
        else if (!string.IsNullOrEmpty(options.AccountKey))
        {
            service = new BlobServiceClient(options.ServiceUrl, new StorageSharedKeyCredential(options.AccountName, options.AccountKey), clientOptions);
        }
        else
        {
            service = new BlobServiceClient(options.ServiceUrl, new DefaultAzureCredential(), clientOptions);
        }
        return service.GetBlobContainerClient(options.Container);
    }
}
