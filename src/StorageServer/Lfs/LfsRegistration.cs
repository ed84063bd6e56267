using StorageServer.Lfs.Resumable;
using StorageServer.Locks;
using StorageServer.Objects;
using StorageServer.Objects.Recording;
using StorageServer.Repos;

namespace StorageServer.Lfs;

/// <summary>The Git LFS API under <c>/{owner}/{repo}.git/info/lfs</c>.</summary>
public static class LfsRegistration
{
    public static IServiceCollection AddLfs(this IServiceCollection services)
    {
        services.AddScoped<ObjectClaims>();
        services.AddScoped<ObjectUploadService>();
        services.AddSingleton<ObjectRecorder>().AddSingleton<UploadRecordGroups>();
        services.AddScoped<TransferAccess>().AddSingleton<RepositoryIdentities>();
        services.AddSingleton<TransferLinks>().AddSingleton<DirectTransfers>();
        services.AddScoped<LockService>();
        services.AddResumableUploads();
        return services;
    }

    public static IEndpointRouteBuilder MapLfsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapLfsBatch();
        routes.MapLfsTransfers();
        routes.MapResumableUploads();
        routes.MapLockEndpoints();
        // Last: everything else under /info/lfs answers an LFS-formatted 404.
        routes.MapLfsFallback();
        return routes;
    }
}
