using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Data;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Data;

/// <summary>
/// Nodes of a cluster start together and each migrates at startup. EF Core 9+ has a migration
/// lock, but on PostgreSQL it covers one migration transaction at a time (see PostgresMigrationLock);
/// this holds the server's <see cref="DatabaseMigrator"/> to serialising them, from a database
/// that does not exist yet. Without the advisory lock, PostgreSQL fails here with 42P07.
/// </summary>
public abstract class ConcurrentMigrationTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const int Nodes = 3;

    [Fact]
    public async Task Nodes_starting_together_on_a_missing_database_all_succeed_and_apply_each_migration_once()
    {
        await database.DeleteAsync();
        var providers = Enumerable.Range(0, Nodes).Select(_ => new ServiceCollection()
            .AddScoped(_ => database.CreateContext())
            .BuildServiceProvider()).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var migrations = providers.Select(provider => Task.Run(async () =>
            {
                var migrator = new DatabaseMigrator(provider.GetRequiredService<IServiceScopeFactory>(), NullLogger<DatabaseMigrator>.Instance);
                start.Wait();
                await migrator.StartAsync(CancellationToken.None);
            })).ToList();
            start.Set();
            await Task.WhenAll(migrations);
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }

        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(SchemaDescription.FromModel(db.GetService<IDesignTimeModel>().Model), await database.ReadSchemaAsync());
    }
}

public sealed class SqliteConcurrentMigrationTests(SqliteTestDatabase database) : ConcurrentMigrationTests<SqliteTestDatabase>(database);

public sealed class PostgresConcurrentMigrationTests(PostgresTestDatabase database) : ConcurrentMigrationTests<PostgresTestDatabase>(database);
