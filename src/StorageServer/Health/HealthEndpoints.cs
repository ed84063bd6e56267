using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StorageServer.Health;

/// <summary>
/// Health endpoints, anonymous so load balancers and orchestrators can probe them:
/// <list type="bullet">
/// <item><c>/healthz/live</c>: the process answers HTTP (runs no check). A failing liveness probe
/// restarts the process, so it must not depend on the database or the store: an outage there
/// would otherwise restart every node at once.</item>
/// <item><c>/healthz/ready</c>: the database answers, its schema has no pending migration, and the
/// object store answers. A failing readiness probe only takes the node out of rotation.</item>
/// <item><c>/healthz</c>: the same checks as ready (kept for existing monitors).</item>
/// </list>
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>
    /// How long one dependency check may take before it counts as unhealthy. An unreachable store
    /// would otherwise hold the probe for the SDK's whole retry schedule (about 30 s for S3), while
    /// orchestrators give a probe a few seconds; the readiness probe in deploy/ allows 4 s.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static IServiceCollection AddStorageHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", failureStatus: null, tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<MigrationsHealthCheck>("migrations", failureStatus: null, tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<ObjectStoreHealthCheck>("object-store", failureStatus: null, tags: [ReadyTag], timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = HealthReportWriter.WriteAsync };
        routes.MapHealthChecks("/healthz", ready).AllowAnonymous();
        routes.MapHealthChecks("/healthz/ready", ready).AllowAnonymous();
        routes.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportWriter.WriteAsync }).AllowAnonymous();
        return routes;
    }
}
