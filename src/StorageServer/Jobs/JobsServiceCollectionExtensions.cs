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
    /// Quartz.NET. On PostgreSQL with its ADO.NET job store in the metadata database (tables
    /// <c>qrtz_*</c>, created by our migrations), clustered, so that of all the nodes sharing the
    /// database exactly one runs each firing; on SQLite (one node) with its in-memory store.
    /// Registered after <see cref="DatabaseMigrator"/>, whose tables the scheduler needs.
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
            if (database.Provider != DatabaseProvider.Postgres)
            {
                // One node on a SQLite file (Quartz refuses to cluster on SQLite, and scale-out is
                // PostgreSQL): the store holds nothing that job_runs does not, so it lives in memory.
                // Quartz's ADO.NET store on the file cost ~8 MB of peak memory (bench/README.md, sixth
                // session). What it persisted is rebuilt at start from job_runs (JobScheduleRegistrar):
                // queued runs are queued again, and a schedule that missed a firing while the server
                // was down fires once, as Quartz's misfire policy did from the ADO.NET store.
                q.UseInMemoryStore();
                return;
            }
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o => o.TablePrefix = QuartzSchemaScript.TablePrefix);
                store.UsePostgres(database.ConnectionString!);
                // Nodes share the database: row locks in qrtz_locks hand each firing to exactly one
                // node, and a dead node's firings are recovered by the others.
                store.UseClustering(c => c.CheckinInterval = options.ClusterCheckinInterval);
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
        services.AddScoped<InMemoryStoreRestorer>();
        services.AddStorageJob<RescanRepositoryJob>(RescanRepositoryJob.Name, "Rebuilds the pointer index of one repository (parameter: repository).");
        services.AddStorageJob<RescanAllRepositoriesJob>(RescanAllRepositoriesJob.Name, "Rebuilds the pointer index of every repository.");
        return services;
    }
}
