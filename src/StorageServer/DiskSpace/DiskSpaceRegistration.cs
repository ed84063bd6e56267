using StorageServer.Configuration;
using StorageServer.Health;

namespace StorageServer.DiskSpace;

/// <summary>Free-space floor in readiness and upload admission; 507 for writes that meet a full disk.</summary>
public static class DiskSpaceRegistration
{
    /// <summary>Call before the database is registered: the space reserve must be released before it is opened.</summary>
    public static IServiceCollection AddDiskSpace(this IServiceCollection services)
    {
        services.AddValidatedOptions<DiskSpaceOptions>(DiskSpaceOptions.Section);
        services.AddSingleton<DiskSpaceGuard>();
        // First of the hosted services: before anything opens the database.
        services.AddHostedService<SpaceReserve>();
        services.AddHealthChecks().AddCheck<DiskSpaceHealthCheck>("disk-space", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    public static IApplicationBuilder UseDiskFullHandling(this IApplicationBuilder app) => app.UseMiddleware<DiskFullMiddleware>();
}
