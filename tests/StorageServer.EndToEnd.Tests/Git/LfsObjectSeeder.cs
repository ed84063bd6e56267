using Microsoft.Data.Sqlite;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>
/// TEMPORARY stand-in for the LFS upload API (built on another branch): puts an object into a
/// running server's data directory as a finished upload would (bytes in the filesystem store,
/// a live <c>objects</c> row and the repository's <c>repo_objects</c> claim), so the push check
/// can be tested with real git-lfs pointers. Delete this file once pushes go through
/// <c>git lfs push</c> against the real API.
/// </summary>
internal static class LfsObjectSeeder
{
    public static void Seed(string dataDir, string repository, string file)
    {
        var oid = Support.TestFiles.Sha256(file);
        var size = new FileInfo(file).Length;
        var target = Path.Combine(dataDir, "objects", oid[..2], oid[2..4], oid);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);

        using var connection = ServerDatabase.Open(dataDir);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO objects (Oid, Size, State, CreatedAt, StateChangedAt) VALUES ($oid, $size, 0, 0, 0);
            INSERT OR IGNORE INTO repo_objects (RepositoryId, Oid, UploadedBy, UploadedAt, FirstRef)
              SELECT Id, $oid, 'e2e-seeder', 0, NULL FROM repositories WHERE Name = $repo;
            """;
        command.Parameters.AddWithValue("$oid", oid);
        command.Parameters.AddWithValue("$size", size);
        command.Parameters.AddWithValue("$repo", repository);
        command.ExecuteNonQuery();
    }
}

/// <summary>Reads the server's SQLite file (WAL mode, so reading next to the running server is safe).</summary>
internal static class ServerDatabase
{
    public static SqliteConnection Open(string dataDir)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "storageserver.db"),
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

    public static int Execute(string dataDir, string sql)
    {
        using var connection = Open(dataDir);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
