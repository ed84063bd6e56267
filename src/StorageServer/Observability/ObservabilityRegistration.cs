using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Health;

namespace StorageServer.Observability;

public static class ObservabilityRegistration
{
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MetricsOptions>(MetricsOptions.Section);
        services.AddSingleton<IValidateOptions<MetricsOptions>, ScrapeTokenStrengthValidator>();
        services.AddMetrics();
        services.AddSingleton<StorageMetrics>();
        services.AddOpenTelemetryExport(configuration);
        return services;
    }

    /// <summary>
    /// Request metrics outermost (they see the status the client gets: the 503s of outages, the
    /// 400s of malformed API bodies), then outage handling. Call before any middleware that turns
    /// exceptions into responses.
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseDependencyOutageHandling();
        app.MapGet("/metrics", MetricsEndpoint.HandleAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
