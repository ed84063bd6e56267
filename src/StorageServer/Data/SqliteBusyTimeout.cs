using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace StorageServer.Data;

/// <summary>
/// Sets SQLite's own busy timeout on every connection the server opens. Without it,
/// Microsoft.Data.Sqlite meets a writer holding the lock with SQLITE_BUSY and retries after a
/// fixed 150 ms sleep: with git-lfs's 8 concurrent uploads each taking the write lock twice, those
/// sleeps were most of an upload's time (issue 17). SQLite's handler retries within 1–25 ms instead;
/// the wait's bound stays the connection's timeout (<see cref="SqliteConnectionStrings"/>).
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        var seconds = connection is SqliteConnection sqlite ? sqlite.DefaultTimeout : 30;
        command.CommandText = $"PRAGMA busy_timeout = {seconds * 1000};";
        return command;
    }
}
