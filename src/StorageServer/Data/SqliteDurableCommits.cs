using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace StorageServer.Data;

/// <summary>
/// Sets <c>synchronous = FULL</c> on every connection the server opens: each commit fsyncs the WAL
/// before it returns, so an acknowledged upload's record survives a power loss. Explicit rather
/// than the build's default, and re-applied on every open because connections are pooled and
/// <see cref="SqliteStorageDbContext.SaveChangesWithoutFlushAsync"/> lowers it for one commit:
/// no connection leaves the pool with that setting still on.
/// </summary>
internal sealed class SqliteDurableCommits : DbConnectionInterceptor
{
    public const string Pragma = "PRAGMA synchronous = FULL;";

    public static readonly SqliteDurableCommits Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
