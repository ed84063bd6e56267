using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Data;

/// <summary>
/// Migrations are mostly written by hand, one set per provider, and neither EF's snapshot nor its
/// tools check that they build the schema the model expects. This compares each
/// migrated database with the model: every table, column type, nullability, identity, primary key,
/// index and foreign key.
/// </summary>
public abstract class MigrationSchemaTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Migrated_schema_matches_the_model()
    {
        await using var db = await database.CreateMigratedContextAsync();
        var expected = SchemaDescription.FromModel(db.GetService<IDesignTimeModel>().Model);

        var actual = await database.ReadSchemaAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(expected, actual);
    }
}

public sealed class SqliteMigrationSchemaTests(SqliteTestDatabase database) : MigrationSchemaTests<SqliteTestDatabase>(database);

public sealed class PostgresMigrationSchemaTests(PostgresTestDatabase database) : MigrationSchemaTests<PostgresTestDatabase>(database);
