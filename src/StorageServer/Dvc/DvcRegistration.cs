using StorageServer.Configuration;
using StorageServer.Dvc.Api;
using StorageServer.Dvc.Indexing;
using StorageServer.Dvc.Manifests;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Remote;
using StorageServer.Dvc.TipEdits;

namespace StorageServer.Dvc;

/// <summary>DVC: each repository's HTTP remote under <c>/{owner}/{repo}.git/info/dvc</c>, on the same object store as Git LFS.</summary>
public static class DvcRegistration
{
    public static IServiceCollection AddDvc(this IServiceCollection services)
    {
        services.AddValidatedOptions<DvcOptions>(DvcOptions.Section);
        services.AddScoped<DvcObjectLookup>().AddScoped<DvcUploadService>().AddScoped<ManifestCheck>().AddScoped<ManifestEntries>()
            .AddScoped<DvcPointerResolver>().AddScoped<DvcIndexer>().AddScoped<DvcPushCheck>().AddScoped<DvcTipPointers>().AddScoped<DvcTipCheck>()
            .AddScoped<DvcMappings>().AddScoped<DvcServerObjects>().AddScoped<DvcTipEditor>();
        services.AddSingleton<DvcScanner>();
        services.AddHostedService<DvcSpoolCleanup>();
        return services;
    }

    public static IEndpointRouteBuilder MapDvc(this IEndpointRouteBuilder routes)
    {
        routes.MapDvcRemote();
        routes.MapDvcRepositoryEndpoints();
        return routes;
    }
}
