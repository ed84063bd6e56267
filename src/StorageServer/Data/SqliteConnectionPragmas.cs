using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace StorageServer.Data;

/// <summary>
/// The per-connection settings every connection the server opens gets, in one command (issue 17:
/// two commands per logical open were a measurable part of an upload's database time; an upload
/// opens connections several times).
/// <list type="bullet">
/// <item><c>busy_timeout</c>: without it, Microsoft.Data.Sqlite meets a writer holding the lock with
/// SQLITE_BUSY and retries after a fixed 150 ms sleep, which made concurrent uploads several times
/// slower; SQLite's own handler retries within 1–25 ms, bounded by the connection's timeout
/// (<see cref="SqliteConnectionStrings"/>).</item>
/// <item><c>synchronous = FULL</c>: each commit fsyncs the WAL before it returns, so an acknowledged
/// upload's record survives a power loss. Explicit rather than the build's default, and re-applied on
/// every open because connections are pooled and
/// <see cref="SqliteStorageDbContext.SaveChangesWithoutFlushAsync"/> lowers it for one commit: no
/// connection leaves the pool with that setting still on.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    public const string DurableCommits = "PRAGMA synchronous = FULL;";

    public static readonly SqliteConnectionPragmas Instance = new();

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
        command.CommandText = $"PRAGMA busy_timeout = {seconds * 1000}; {DurableCommits}";
        return command;
    }
}
