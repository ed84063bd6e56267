using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StorageServer.Data.Entities;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Data;

/// <summary>A database made by an older release is upgraded at startup without losing rows.</summary>
public abstract class MigrationUpgradeTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task A_database_at_the_first_migration_is_upgraded_and_keeps_its_data()
    {
        await using (var old = database.CreateContext())
        {
            await old.GetService<IMigrator>().MigrateAsync("20261122090000_Initial");
            old.Repositories.Add(new Repository { Name = "old/repo", CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) });
            await old.SaveChangesAsync();
        }

        using (var server = new StorageServerFactory(database.ServerSettings))
        {
            using var admin = server.CreateAdminClient();
            using var repo = await admin.GetAsync("/api/repos/old/repo");
            Assert.Equal(HttpStatusCode.OK, repo.StatusCode);
            await server.CreateRepoAsync("new/repo");
        }

        await using var upgraded = database.CreateContext();
        Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync());
        Assert.Equal(["new/repo", "old/repo"], await upgraded.Repositories.OrderBy(r => r.Name).Select(r => r.Name).ToListAsync());
        Assert.Equal(1, await upgraded.AuditEvents.CountAsync());
    }
}

public sealed class SqliteMigrationUpgradeTests(SqliteTestDatabase database) : MigrationUpgradeTests<SqliteTestDatabase>(database);

public sealed class PostgresMigrationUpgradeTests(PostgresTestDatabase database) : MigrationUpgradeTests<PostgresTestDatabase>(database);
