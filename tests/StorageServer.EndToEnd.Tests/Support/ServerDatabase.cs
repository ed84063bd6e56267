using Microsoft.Data.Sqlite;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// Reads a server's SQLite file for assertions on state no API exposes (the pointer index), or
/// state to check after the server died.
/// Read-only: tests change server state through its public interfaces only. The database is in
/// WAL mode, so reading next to the running server is safe.
/// </summary>
internal static class ServerDatabase
{
    private static SqliteConnection Open(string dataDir)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "storageserver.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The pointer index of one repository as (commit, path, oid) triples.</summary>
    public static HashSet<(string Commit, string Path, string Oid)> PointerRefs(string dataDir, string repository)
    {
        using var connection = Open(dataDir);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.CommitSha, p.Path, p.Oid FROM pointer_refs p JOIN repositories r ON r.Id = p.RepositoryId WHERE r.Name = $repo
            """;
        command.Parameters.AddWithValue("$repo", repository);
        var rows = new HashSet<(string, string, string)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }

    /// <summary>How many of an erasure request's objects are recorded as erased (also after the server died).</summary>
    public static long ErasedItems(string dataDir, string requestId)
    {
        using var connection = Open(dataDir);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM erasure_items WHERE RequestId = $id AND ErasedAt IS NOT NULL";
        command.Parameters.AddWithValue("$id", requestId);
        return (long)command.ExecuteScalar()!;
    }
}
