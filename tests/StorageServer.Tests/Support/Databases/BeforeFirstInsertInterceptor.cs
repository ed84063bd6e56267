using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace StorageServer.Tests.Support.Databases;

/// <summary>
/// Runs <paramref name="action"/> once, just before the first INSERT into <paramref name="table"/>
/// reaches the database: the moment another node would slip its own write in.
/// </summary>
public sealed class BeforeFirstInsertInterceptor(string table, Func<Task> action) : DbCommandInterceptor
{
    private int _fired;

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains($"INSERT INTO {table}", StringComparison.OrdinalIgnoreCase)
            || command.CommandText.Contains($"INSERT INTO \"{table}\"", StringComparison.OrdinalIgnoreCase))
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                await action();
            }
        }
        return result;
    }
}
