using Microsoft.Data.Sqlite;

namespace StorageServer.Data;

internal static class SqliteConnectionStrings
{
    public static string ForDataDir(string dataDir) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDir, "storageserver.db"),
        Pooling = true,
        // Writers wait for each other instead of failing with SQLITE_BUSY.
        DefaultTimeout = 60,
    }.ToString();
}
