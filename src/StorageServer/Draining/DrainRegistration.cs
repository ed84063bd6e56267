using StorageServer.Health;

namespace StorageServer.Draining;

/// <summary>Graceful drain on SIGTERM (see <see cref="GracefulDrain"/>).</summary>
public static class DrainRegistration
{
    public static IServiceCollection AddGracefulDrain(this IServiceCollection services)
    {
        services.AddSingleton<DrainState>();
        services.AddHostedService<GracefulDrain>();
        services.AddHealthChecks().AddCheck<DrainHealthCheck>("draining", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    public static IApplicationBuilder UseGracefulDrain(this IApplicationBuilder app) => app.UseMiddleware<DrainMiddleware>();
}
