using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StorageServer.Data;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Data;

/// <summary>A database made by an older release is upgraded at startup without losing rows.</summary>
public sealed class MigrationUpgradeTests
{
    [Fact]
    public async Task A_database_at_the_first_migration_is_upgraded_and_keeps_its_data()
    {
        var dataDir = Directory.CreateTempSubdirectory("migration-upgrade-").FullName;
        var databasePath = Path.Combine(dataDir, "storageserver.db");
        var options = new DbContextOptionsBuilder<SqliteStorageDbContext>()
            .UseSqlite($"Data Source={databasePath}")
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
            .Options;
        await using (var old = new SqliteStorageDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261122090000_Initial");
            await old.Database.ExecuteSqlRawAsync("INSERT INTO repositories (Name, AllowAnonymousRead, CreatedAt) VALUES ('old/repo', 0, 0)");
        }
        SqliteConnection.ClearAllPools();

        using var server = new StorageServerFactory(new Dictionary<string, string?> { ["StorageServer:DataDir"] = dataDir });
        using var admin = server.CreateAdminClient();
        var repo = await admin.GetAsync("/api/repos/old/repo");
        Assert.Equal(System.Net.HttpStatusCode.OK, repo.StatusCode);
        await server.CreateRepoAsync("new/repo");

        await using var upgraded = new SqliteStorageDbContext(options);
        Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync());
        Assert.Equal(1, await upgraded.AuditEvents.CountAsync());
    }
}
