using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Data;

/// <summary>
/// Migrations are written by hand (EF's design-time tools do not restore here), so nothing else
/// guarantees they build the schema the model expects. This compares the migrated database with
/// the model: every table, column, nullability, primary key and index.
/// </summary>
public sealed class MigrationSchemaTests : IDisposable
{
    private readonly StorageServerFactory _server = new();

    [Fact]
    public async Task Migrated_sqlite_schema_matches_the_model()
    {
        using var client = _server.CreateClient();
        (await client.GetAsync("/healthz")).EnsureSuccessStatusCode();
        using var scope = _server.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<StorageDbContext>().GetService<IDesignTimeModel>().Model;
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "storageserver.db")}");
        await connection.OpenAsync();

        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var storeObject = StoreObjectIdentifier.Table(table, null);
            var columns = await ColumnsAsync(connection, table);
            Assert.True(columns.Count > 0, $"table {table} missing");
            var expected = entity.GetProperties().ToDictionary(p => p.GetColumnName(storeObject)!, p => p.IsColumnNullable(storeObject));
            Assert.Equal(expected.Keys.Order(), columns.Keys.Order());
            foreach (var (column, nullable) in expected)
            {
                Assert.True(nullable == columns[column].Nullable, $"{table}.{column}: nullable should be {nullable}");
            }
            var primaryKey = entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(storeObject)!).ToList();
            Assert.Equal(primaryKey, columns.Where(c => c.Value.PrimaryKeyOrder > 0).OrderBy(c => c.Value.PrimaryKeyOrder).Select(c => c.Key));

            var indexes = await IndexesAsync(connection, table);
            foreach (var index in entity.GetIndexes())
            {
                var name = index.GetDatabaseName(storeObject)!;
                Assert.True(indexes.TryGetValue(name, out var unique), $"index {name} missing on {table}");
                Assert.True(index.IsUnique == unique, $"index {name}: unique should be {index.IsUnique}");
            }
        }
    }

    private static async Task<Dictionary<string, (bool Nullable, long PrimaryKeyOrder)>> ColumnsAsync(SqliteConnection connection, string table)
    {
        var columns = new Dictionary<string, (bool, long)>();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info(\"{table}\")";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns[reader.GetString(1)] = (reader.GetInt64(3) == 0, reader.GetInt64(5));
        }
        return columns;
    }

    private static async Task<Dictionary<string, bool>> IndexesAsync(SqliteConnection connection, string table)
    {
        var indexes = new Dictionary<string, bool>();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA index_list(\"{table}\")";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes[reader.GetString(1)] = reader.GetInt64(2) == 1;
        }
        return indexes;
    }

    public void Dispose() => _server.Dispose();
}
