using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace StorageServer.Storage.Azure;

public static class AzureBlobServiceCollectionExtensions
{
    /// <summary>
    /// The Azure Blob store, configured from <c>ObjectStore:AzureBlob</c> and validated before the
    /// server starts (every error names its key).
    /// </summary>
    public static IServiceCollection AddAzureBlobObjectStore(this IServiceCollection services)
    {
        services.AddOptions<AzureBlobStoreOptions>().BindConfiguration(AzureBlobStoreOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureBlobStoreOptions>, AzureBlobStoreOptionsValidator>();
        services.AddSingleton(sp => AzureBlobClientFactory.Create(sp.GetRequiredService<IOptions<AzureBlobStoreOptions>>().Value));
        services.AddSingleton<IObjectStore>(sp => new AzureBlobObjectStore(
            sp.GetRequiredService<BlobContainerClient>(),
            sp.GetRequiredService<IOptions<AzureBlobStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AzureBlobObjectStore>>()));
        return services;
    }
}
