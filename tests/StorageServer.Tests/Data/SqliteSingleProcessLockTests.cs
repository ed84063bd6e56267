using Microsoft.Extensions.Options;
using StorageServer.Data;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Data;

/// <summary>
/// One server process per SQLite database (what the in-process upload leases, the write gate and
/// Quartz's in-memory store rely on): a second server on the same file is refused at start with a
/// clear error (MapStorageServer takes the lock before the host starts; Program.cs prints the refusal as one line), and the file is
/// free again once the first server stops.
/// </summary>
public sealed class SqliteSingleProcessLockTests
{
    [Fact]
    public async Task A_second_server_on_the_same_sqlite_database_is_refused_until_the_first_stops()
    {
        var dataDir = Directory.CreateTempSubdirectory("storageserver-lock-").FullName;
        try
        {
            var database = "Data Source=" + Path.Combine(dataDir, "storageserver.db");
            var first = new StorageServerFactory(new Dictionary<string, string?> { ["StorageServer:DataDir"] = dataDir });
            _ = first.Services; // started: holds the database

            using (var second = new SqliteSingleProcessLock(database))
            {
                var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => second.StartAsync(CancellationToken.None));
                Assert.Contains("another StorageServer process is serving the SQLite database", refused.Message);
                Assert.Contains(Path.Combine(dataDir, "storageserver.db"), refused.Message);
            }
            await first.DisposeAsync();

            using var next = new SqliteSingleProcessLock(database);
            await next.StartAsync(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
