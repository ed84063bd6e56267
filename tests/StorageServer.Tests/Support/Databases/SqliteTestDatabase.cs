using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StorageServer.Data;

namespace StorageServer.Tests.Support.Databases;

/// <summary>A SQLite file in a fresh temporary directory.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("storageserver-sqlite-").FullName;

    public string ConnectionString => SqliteConnectionStrings.ForDataDir(_directory);

    public override IDictionary<string, string?> ServerSettings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = ConnectionString,
    };

    public override StorageDbContext CreateContext(params IInterceptor[] interceptors) => new SqliteStorageDbContext(new DbContextOptionsBuilder<SqliteStorageDbContext>()
        .UseSqlite(ConnectionString)
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
        .AddInterceptors(interceptors)
        .Options);

    public override async Task<IReadOnlyList<string>> ReadSchemaAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return await SqliteSchemaReader.ReadAsync(connection);
    }

    public override Task DeleteAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_directory, "storageserver.db*"))
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
