using StorageServer.Admin;
using StorageServer.Configuration;
using StorageServer.Git;
using StorageServer.Jobs;
using StorageServer.Retention.Api;
using StorageServer.Retention.Jobs;
using StorageServer.Retention.Keeping;
using StorageServer.Retention.Planning;
using StorageServer.Retention.Policies;
using StorageServer.Retention.Reachability;
using StorageServer.Retention.Reconciliation;
using StorageServer.Retention.Runs;
using StorageServer.Retention.Sweeping;
using StorageServer.Retention.Sweeping.LeaseStores;
using StorageServer.Retention.Trash;
using StorageServer.Retention.Usage;

namespace StorageServer.Retention;

public static class RetentionRegistration
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.Section);
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // Leases as rows where several nodes share the database; in process where one server owns
        // its SQLite file (SqliteSingleProcessLock), which saves each upload two write transactions.
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton<IUploadLeaseStore, DatabaseUploadLeaseStore>();
        }
        else
        {
            services.AddSingleton<IUploadLeaseStore, InProcessUploadLeaseStore>();
        }
        services.AddScoped<RepositoryGraph>().AddScoped<PolicyLoader>().AddScoped<TrashService>().AddScoped<ReachabilityRefresher>()
            .AddScoped<RetentionPlanner>().AddScoped<MaxAgeEnforcer>().AddScoped<RetentionMarkRunner>().AddScoped<RetentionSweepRunner>()
            .AddScoped<RetentionRunStore>().AddScoped<RetentionReportWriter>().AddSingleton<UploadLeases>().AddSingleton<TipPointerCache>();
        services.AddScoped<RetentionPolicyService>().AddScoped<RetentionRunLauncher>().AddScoped<TrashAdmin>().AddScoped<StorageUsageQuery>();
        services.AddSingleton<CommitHistories>().AddSingleton<TreeDiffs>().AddSingleton<UnreachableCommits>().AddScoped<KeepStateBuilder>();
        services.AddScoped<CrashLeftoverReconciler>().AddHostedService<ReconcileOnStartup>();
        services.AddScoped<IPushListener, RetentionPushListener>();
        services.AddStorageJob<RetentionMarkJob>(RetentionMarkJob.Name, "Retention mark: computes candidates, writes the report, trashes them unless dryRun (parameters: dryRun, repository).");
        services.AddStorageJob<RetentionSweepJob>(RetentionSweepJob.Name, "Retention sweep: deletes trashed objects past their restore window, re-checking each.");
        services.AddStorageJob<RetentionReconcileJob>(RetentionReconcileJob.Name, "Reclaims crash leftovers older than the orphan grace: object files without a row, rows no repository claims.");
        return services;
    }

    public static IEndpointRouteBuilder MapRetention(this IEndpointRouteBuilder routes)
    {
        var retention = routes.MapGroup("/api/retention").RequireServerAdmin().WithTags("Retention");
        retention.MapRetentionPolicyEndpoints();
        retention.MapRetentionRunEndpoints();
        retention.MapRetentionTrashEndpoints();
        routes.MapGroup("/api/storage").RequireServerAdmin().WithTags("Storage").MapStorageUsageEndpoint();
        return routes;
    }
}
