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
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteStorageDbContext>((provider, db) =>
                {
                    var dataDir = provider.GetRequiredService<IOptions<StorageServerOptions>>().Value.FullDataDir;
                    db.UseSqlite(options.ConnectionString ?? SqliteConnectionStrings.ForDataDir(dataDir));
                    // Migrations are hand-written (no snapshot), so EF's model-diff check cannot apply;
                    // MigrationSchemaTests checks the migrated schema against the model instead.
                    db.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
                });
                services.AddScoped<StorageDbContext>(sp => sp.GetRequiredService<SqliteStorageDbContext>());
                break;
            default:
                throw new OptionsValidationException(
                    DatabaseOptions.Section,
                    typeof(DatabaseOptions),
                    [$"Database:Provider '{options.Provider}' is not available in this build. Valid values: Sqlite."]);
        }
        services.AddHostedService<DatabaseMigrator>();
        return services;
    }
}
