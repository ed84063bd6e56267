using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Tests.Data;

/// <summary>
/// The connection pragmas (busy timeout, durable commits) run once per native SQLite connection
/// (issue 17), and every native connection gets them. A database of its own, so no other test or
/// hosted service takes connections from this pool.
/// </summary>
public sealed class SqliteConnectionPragmasTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("storageserver-pragmas-").FullName;

    [Fact]
    public async Task Every_native_connection_gets_the_pragmas_once_and_keeps_them_through_the_pool()
    {
        await using var db = CreateContext();
        await db.Database.OpenConnectionAsync();
        var native = Handle(db);
        Assert.Equal("60000", await ReadAsync(db, "PRAGMA busy_timeout;"));
        Assert.Equal("2", await ReadAsync(db, "PRAGMA synchronous;")); // FULL
        await ReadAsync(db, "PRAGMA busy_timeout = 1234;");
        await db.Database.CloseConnectionAsync();

        await db.Database.OpenConnectionAsync();
        Assert.Same(native, Handle(db)); // the pool handed back the same native connection
        Assert.Equal("1234", await ReadAsync(db, "PRAGMA busy_timeout;")); // so the pragmas did not run again

        await using var other = CreateContext(); // while the first is open: a second native connection
        await other.Database.OpenConnectionAsync();
        Assert.NotSame(native, Handle(other));
        Assert.Equal("60000", await ReadAsync(other, "PRAGMA busy_timeout;"));
        Assert.Equal("2", await ReadAsync(other, "PRAGMA synchronous;"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteStorageDbContext CreateContext() => new(new DbContextOptionsBuilder<SqliteStorageDbContext>()
        .UseSqlite(SqliteConnectionStrings.ForDataDir(_directory))
        .AddInterceptors(SqliteConnectionPragmas.Instance)
        .Options);

    private static SQLitePCL.sqlite3 Handle(DbContext db) => ((SqliteConnection)db.Database.GetDbConnection()).Handle!;

    private static async Task<string> ReadAsync(DbContext db, string query)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = query;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
