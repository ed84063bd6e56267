using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace StorageServer.Data;

/// <summary>
/// The per-connection settings every connection the server opens gets, in one command, run once per
/// physical connection (issue 17: an upload opens pooled connections several times, and each open
/// ran and parsed this command again although the native connection kept both settings).
/// <list type="bullet">
/// <item><c>busy_timeout</c>: without it, Microsoft.Data.Sqlite meets a writer holding the lock with
/// SQLITE_BUSY and retries after a fixed 150 ms sleep, which made concurrent uploads several times
/// slower; SQLite's own handler retries within 1–25 ms, bounded by the connection's timeout
/// (<see cref="SqliteConnectionStrings"/>).</item>
/// <item><c>synchronous = FULL</c>: each commit fsyncs the WAL before it returns, so an acknowledged
/// upload's record survives a power loss. Explicit rather than the build's default. Set once per
/// native connection, so nothing in the server may lower it on a pooled connection: no SQLite commit
/// does (<see cref="SqliteStorageDbContext.SaveChangesWithoutFlushAsync"/> commits durably).</item>
/// </list>
/// A native connection is known by its handle, which the pool hands from one
/// <see cref="SqliteConnection"/> to the next; a new native connection has a new handle.
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    public const string DurableCommits = "PRAGMA synchronous = FULL;";

    public static readonly SqliteConnectionPragmas Instance = new();

    private static readonly object Applied = new();

    private readonly ConditionalWeakTable<sqlite3, object> _configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsPragmas(connection))
        {
            using var command = Command(connection);
            command.ExecuteNonQuery();
            Remember(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsPragmas(connection))
        {
            await using var command = Command(connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            Remember(connection);
        }
    }

    private bool NeedsPragmas(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !_configured.TryGetValue(handle, out _);

    private void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _configured.TryAdd(handle, Applied);
        }
    }

    private static DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        var seconds = connection is SqliteConnection sqlite ? sqlite.DefaultTimeout : 30;
        command.CommandText = For(seconds);
        return command;
    }

    /// <summary>The pragmas for a connection whose busy timeout is <paramref name="seconds"/>; also for connections the server opens outside EF.</summary>
    public static string For(int seconds) => $"PRAGMA busy_timeout = {seconds * 1000}; {DurableCommits}";
}
