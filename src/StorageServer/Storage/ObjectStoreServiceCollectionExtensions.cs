using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Storage.Azure;
using StorageServer.Storage.S3;

namespace StorageServer.Storage;

public static class ObjectStoreServiceCollectionExtensions
{
    /// <summary>Registers the store chosen by <c>ObjectStore:Type</c>.</summary>
    public static IServiceCollection AddObjectStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ObjectStoreOptions.Section).Get<ObjectStoreOptions>() ?? new ObjectStoreOptions();
        switch (options.Type)
        {
            case ObjectStoreKind.FileSystem:
                services.AddSingleton<IObjectStore>(sp =>
                {
                    var server = sp.GetRequiredService<IOptions<StorageServerOptions>>().Value;
                    return new FileSystemObjectStore(options.Path ?? Path.Combine(server.FullDataDir, "objects"), server.NodeId);
                });
                break;
            case ObjectStoreKind.S3:
                services.AddS3ObjectStore();
                break;
            case ObjectStoreKind.AzureBlob:
                services.AddAzureBlobObjectStore();
                break;
            default:
                throw new OptionsValidationException(ObjectStoreOptions.Section, typeof(ObjectStoreOptions),
                    [$"ObjectStore:Type '{options.Type}' is not available in this build. Valid values: FileSystem, S3, AzureBlob."]);
        }
        services.AddHostedService<AbandonedUploadCleanup>();
        return services;
    }
}
