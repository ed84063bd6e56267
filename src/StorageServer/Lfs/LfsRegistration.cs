using StorageServer.Locks;

namespace StorageServer.Lfs;

/// <summary>The Git LFS API under <c>/{owner}/{repo}.git/info/lfs</c>.</summary>
public static class LfsRegistration
{
    public static IServiceCollection AddLfs(this IServiceCollection services)
    {
        services.AddScoped<LockService>();
        return services;
    }

    public static IEndpointRouteBuilder MapLfsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapLockEndpoints();
        return routes;
    }
}
