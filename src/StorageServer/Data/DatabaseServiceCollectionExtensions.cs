using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>Registers the provider chosen by <c>Database:Provider</c> behind <see cref="StorageDbContext"/>.</summary>
    public static IServiceCollection AddStorageDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton<SqliteWriteGate>();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                // First of the hosted services: nothing touches the file before the lock is held.
                services.AddSingleton(provider => new SqliteSingleProcessLock(
                    options.ConnectionString ?? SqliteConnectionStrings.ForDataDir(provider.GetRequiredService<IOptions<StorageServerOptions>>().Value.FullDataDir)));
                services.AddHostedService(provider => provider.GetRequiredService<SqliteSingleProcessLock>());
                // Pooled (issue 17): an upload's request, lease and group commit each take a context,
                // and building one (its options, its internal service provider lookup) was a tenth of
                // the server's CPU per upload. The contexts hold no state of their own beyond what EF
                // resets when a context returns to the pool (tracked entities, connection, transaction).
                services.AddDbContextPool<SqliteStorageDbContext>((provider, db) =>
                {
                    var dataDir = provider.GetRequiredService<IOptions<StorageServerOptions>>().Value.FullDataDir;
                    db.UseSqlite(options.ConnectionString ?? SqliteConnectionStrings.ForDataDir(dataDir)).AddInterceptors(SqliteConnectionPragmas.Instance);
                    db.UseModel(CompiledModels.Sqlite.SqliteStorageDbContextModel.Instance);
                    MetadataMigrationsAssembly.UseIn(db);
                    // Migrations carry no target model of their own (most are hand-written), so EF's
                    // startup check would compare with nothing useful; EfSnapshotTests keeps the model
                    // snapshots current and MigrationSchemaTests checks the migrated schema instead.
                    db.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
                });
                services.AddScoped<StorageDbContext>(sp => sp.GetRequiredService<SqliteStorageDbContext>());
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new OptionsValidationException(
                        DatabaseOptions.Section,
                        typeof(DatabaseOptions),
                        ["Database:ConnectionString is required when Database:Provider is Postgres, e.g. 'Host=db;Database=storageserver;Username=storageserver;Password=…'."]);
                }
                services.AddDbContextPool<PostgresStorageDbContext>(db =>
                {
                    db.UseNpgsql(options.ConnectionString);
                    db.UseModel(CompiledModels.Postgres.PostgresStorageDbContextModel.Instance);
                    MetadataMigrationsAssembly.UseIn(db);
                    db.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
                });
                services.AddScoped<StorageDbContext>(sp => sp.GetRequiredService<PostgresStorageDbContext>());
                break;
            default:
                throw new OptionsValidationException(
                    DatabaseOptions.Section,
                    typeof(DatabaseOptions),
                    [$"Database:Provider '{options.Provider}' is not supported. Valid values: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}."]);
        }
        services.AddHostedService<DatabaseMigrator>();
        return services;
    }
}
