using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Data.Migrations.Quartz;

namespace StorageServer.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz scheduler name: one cluster per database, so every node uses the same one.</summary>
    public const string SchedulerName = "StorageServer";

    /// <summary>
    /// Quartz.NET with its ADO.NET job store in the metadata database (tables <c>qrtz_*</c>, created by
    /// our migrations). On PostgreSQL it is clustered, so that of all the nodes sharing the database
    /// exactly one runs each firing. Registered after <see cref="DatabaseMigrator"/>, whose tables the scheduler needs.
    /// </summary>
    public static IServiceCollection AddStorageJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<JobsOptions>(JobsOptions.Section);
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                // Stopping a node asks its running jobs to stop (their token is cancelled; the run ends
                // cancelled) and then waits for them, so a deploy neither hangs on a long sweep nor
                // abandons it unrecorded.
                s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
                s.IdleWaitTime = options.PollInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.PollInterval;
                if (string.Equals(options.InstanceId, "AUTO", StringComparison.OrdinalIgnoreCase))
                {
                    s.GenerateInstanceId = true;
                }
                else
                {
                    s.InstanceId = options.InstanceId;
                }
            });
            // No UseTimeProvider: Quartz takes the container's TimeProvider, as our own code does.
            // Clamped so an out-of-range value is reported once, by JobsOptions' own validation.
            q.UseDefaultThreadPool(Math.Clamp(options.MaxConcurrency, 1, 64));
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o => o.TablePrefix = QuartzSchemaScript.TablePrefix);
                switch (database.Provider)
                {
                    case DatabaseProvider.Postgres:
                        store.UsePostgres(database.ConnectionString!);
                        // Nodes share the database: row locks in qrtz_locks hand each firing to exactly
                        // one node, and a dead node's firings are recovered by the others.
                        store.UseClustering(c => c.CheckinInterval = options.ClusterCheckinInterval);
                        break;
                    default:
                        // Microsoft.Data.Sqlite, on the same file as the metadata. Not clustered: Quartz
                        // refuses clustering on SQLite ("SQLite cannot be used as clustered mode due to
                        // locking problems"), and a SQLite file serves one node anyway (scale-out is
                        // PostgreSQL). Quartz serialises its own SQLite access in-process
                        // (SqliteLockHandler) at serializable isolation; the busy timeout in the
                        // connection string makes it wait for our writers instead of failing.
                        store.UseSqlite(database.ConnectionString ?? SqliteConnectionStrings.ForDataDir(DataDirOf(configuration)));
                        break;
                }
            });
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AutoStart = options.Enabled;
        });
        // After AddQuartzHostedService, but hosted services start in order and the registrar only
        // stores jobs and triggers, which works on a scheduler that has not started yet.
        services.AddHostedService<JobScheduleRegistrar>();
        services.AddSingleton<JobRunRecorder>();
        services.AddSingleton<JobLauncher>();
        services.AddScoped<JobRunService>();
        services.AddScoped<JobRunJanitor>();
        services.AddStorageJob<RescanRepositoryJob>(RescanRepositoryJob.Name, "Rebuilds the pointer index of one repository (parameter: repository).");
        services.AddStorageJob<RescanAllRepositoriesJob>(RescanAllRepositoriesJob.Name, "Rebuilds the pointer index of every repository.");
        return services;
    }

    private static string DataDirOf(IConfiguration configuration)
    {
        var server = configuration.GetSection(StorageServerOptions.Section).Get<StorageServerOptions>() ?? new StorageServerOptions();
        return server.FullDataDir;
    }
}
