using Microsoft.Extensions.Diagnostics.HealthChecks;
using StorageServer.Data;
using StorageServer.Storage;

namespace StorageServer.Health;

/// <summary><c>/healthz</c>: 200 only when the database and the object store both answer.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddStorageHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<ObjectStoreHealthCheck>("object-store");
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz").AllowAnonymous();
        return routes;
    }
}

internal sealed class DatabaseHealthCheck(StorageDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
}

internal sealed class ObjectStoreHealthCheck(IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{store.Name} store unreachable", e);
        }
    }
}
