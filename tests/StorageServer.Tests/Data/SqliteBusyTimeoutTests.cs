using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Data;

/// <summary>
/// Writers that meet the SQLite write lock must wait inside SQLite (1–25 ms retries), not in
/// Microsoft.Data.Sqlite's 150 ms managed sleeps, which made concurrent uploads several times slower.
/// </summary>
public sealed class SqliteBusyTimeoutTests
{
    [Fact]
    public async Task Every_connection_the_server_opens_has_sqlites_busy_timeout_set_to_the_connection_timeout()
    {
        using var server = new StorageServerFactory();
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout;";

        var milliseconds = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(60_000, milliseconds);
    }
}
