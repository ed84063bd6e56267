using Microsoft.Data.Sqlite;

namespace StorageServer.Tests.Support.Databases;

/// <summary>Reads a SQLite schema through PRAGMAs into <see cref="SchemaDescription"/> lines.</summary>
internal static class SqliteSchemaReader
{
    public static async Task<IReadOnlyList<string>> ReadAsync(SqliteConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT IN ('__EFMigrationsHistory', '__EFMigrationsLock')"
            // Quartz.NET's job store tables are created from Quartz's own script, not the EF model.
            + " AND name NOT LIKE 'qrtz\\_%' ESCAPE '\\'",
            r => r.GetString(0));
        foreach (var table in tables)
        {
            var columns = await QueryAsync(connection, $"PRAGMA table_info(\"{table}\")",
                r => (Name: r.GetString(1), Type: r.GetString(2), NotNull: r.GetInt64(3) == 1, PrimaryKeyOrder: r.GetInt64(5)));
            var primaryKey = columns.Where(c => c.PrimaryKeyOrder > 0).OrderBy(c => c.PrimaryKeyOrder).Select(c => c.Name).ToList();
            foreach (var column in columns)
            {
                // A single INTEGER PRIMARY KEY column is SQLite's rowid alias: generated on insert.
                var identity = primaryKey.Count == 1 && primaryKey[0] == column.Name && column.Type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase);
                lines.Add(SchemaDescription.Column(table, column.Name, column.Type, !column.NotNull, identity));
            }
            lines.Add(SchemaDescription.PrimaryKey(table, primaryKey));

            var indexes = await QueryAsync(connection, $"PRAGMA index_list(\"{table}\")",
                r => (Name: r.GetString(1), Unique: r.GetInt64(2) == 1, Origin: r.GetString(3)));
            foreach (var index in indexes.Where(i => i.Origin != "pk"))
            {
                var indexColumns = await QueryAsync(connection, $"PRAGMA index_info(\"{index.Name}\")", r => (Order: r.GetInt64(0), Name: r.GetString(2)));
                lines.Add(SchemaDescription.Index(table, index.Name, index.Unique, indexColumns.OrderBy(c => c.Order).Select(c => c.Name)));
            }

            var foreignKeys = await QueryAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")",
                r => (Id: r.GetInt64(0), Seq: r.GetInt64(1), Principal: r.GetString(2), From: r.GetString(3), To: r.GetString(4), OnDelete: r.GetString(6)));
            foreach (var foreignKey in foreignKeys.GroupBy(f => f.Id).Select(g => g.OrderBy(f => f.Seq).ToList()))
            {
                lines.Add(SchemaDescription.ForeignKey(table, foreignKey.Select(f => f.From), foreignKey[0].Principal, foreignKey.Select(f => f.To), foreignKey[0].OnDelete));
            }
        }
        return SchemaDescription.Sorted(lines);
    }

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
