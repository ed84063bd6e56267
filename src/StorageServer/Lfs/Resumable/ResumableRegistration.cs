using StorageServer.Configuration;

namespace StorageServer.Lfs.Resumable;

/// <summary>Resumable (tus) uploads: options, the partial upload store and its cleanup, the endpoints.</summary>
public static class ResumableRegistration
{
    public static IServiceCollection AddResumableUploads(this IServiceCollection services)
    {
        services.AddValidatedOptions<ResumableUploadOptions>(ResumableUploadOptions.Section);
        services.AddSingleton<PartialUploadStore>().AddSingleton<ResumableTransfer>();
        services.AddScoped<ResumableUploadTarget>().AddScoped<ResumableUploadFinisher>();
        services.AddHostedService<PartialUploadCleanup>();
        return services;
    }
}
