using Amazon.S3;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Storage.S3;

public static class S3ServiceCollectionExtensions
{
    /// <summary>
    /// The S3-compatible store, configured from <c>ObjectStore:S3</c> and validated before the
    /// server starts (every error names its key).
    /// </summary>
    public static IServiceCollection AddS3ObjectStore(this IServiceCollection services)
    {
        services.AddOptions<S3StoreOptions>().BindConfiguration(S3StoreOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3StoreOptions>, S3StoreOptionsValidator>();
        services.AddSingleton<IAmazonS3>(sp => S3ClientFactory.Create(sp.GetRequiredService<IOptions<S3StoreOptions>>().Value));
        services.AddSingleton<IObjectStore>(sp => new S3ObjectStore(
            sp.GetRequiredService<IAmazonS3>(),
            sp.GetRequiredService<IOptions<S3StoreOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageServerOptions>>().Value.NodeId,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<S3ObjectStore>>()));
        return services;
    }
}
