using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StorageServer.Data;

namespace StorageServer.Tests.Support;

/// <summary>
/// One SQLite database per test process with every migration applied, copied into each new
/// factory's data directory: the server then finds nothing pending at startup instead of running
/// all migrations again for each of the hundreds of hosts the unit tests start (about 2.5 s each on
/// two busy cores). Applying migrations is still tested: here once per run, in
/// <c>MigrationSchemaTests</c>/<c>SqliteMigrationUpgradeTests</c>, and at every end-to-end server start.
/// </summary>
internal static class MigratedSqliteTemplate
{
    private static readonly Lazy<string> Template = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Writes the migrated database where the server looks for it in <paramref name="dataDir"/>.</summary>
    public static void CopyTo(string dataDir) =>
        File.Copy(Template.Value, Path.Combine(dataDir, "storageserver.db"));

    private static string Create()
    {
        var directory = Directory.CreateTempSubdirectory("storageserver-test-template-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        var path = Path.Combine(directory, "storageserver.db");
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using (var db = new SqliteStorageDbContext(new DbContextOptionsBuilder<SqliteStorageDbContext>().UseSqlite(connection)
            // As the server configures it (DatabaseServiceCollectionExtensions): hand-written migrations carry no target model.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)).Options))
        {
            db.Database.Migrate();
        }
        return path;
    }
}
