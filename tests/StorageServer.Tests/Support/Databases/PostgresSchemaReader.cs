using Npgsql;

namespace StorageServer.Tests.Support.Databases;

/// <summary>Reads the <c>public</c> schema (less Quartz.NET's <c>qrtz_</c> tables, which are not in the EF model) of a PostgreSQL database from the catalogs into <see cref="SchemaDescription"/> lines.</summary>
internal static class PostgresSchemaReader
{
    private const string Columns = """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity <> ''
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relname <> '__EFMigrationsHistory' AND c.relname NOT LIKE 'qrtz\_%'
        """;

    private const string Indexes = """
        SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary,
               array(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)
        FROM pg_index ix
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relname <> '__EFMigrationsHistory' AND t.relname NOT LIKE 'qrtz\_%'
        """;

    private const string ForeignKeys = """
        SELECT t.relname, p.relname,
               array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
               array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord),
               CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'n' THEN 'SET NULL'
                                  WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_class p ON p.oid = c.confrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE c.contype = 'f' AND n.nspname = 'public' AND t.relname NOT LIKE 'qrtz\_%'
        """;

    public static async Task<IReadOnlyList<string>> ReadAsync(NpgsqlConnection connection)
    {
        var lines = new List<string>();
        lines.AddRange(await QueryAsync(connection, Columns,
            r => SchemaDescription.Column(r.GetString(0), r.GetString(1), r.GetString(2), !r.GetBoolean(3), r.GetBoolean(4))));
        lines.AddRange(await QueryAsync(connection, Indexes, r => r.GetBoolean(3)
            ? SchemaDescription.PrimaryKey(r.GetString(0), r.GetFieldValue<string[]>(4))
            : SchemaDescription.Index(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetFieldValue<string[]>(4))));
        lines.AddRange(await QueryAsync(connection, ForeignKeys,
            r => SchemaDescription.ForeignKey(r.GetString(0), r.GetFieldValue<string[]>(2), r.GetString(1), r.GetFieldValue<string[]>(3), r.GetString(4))));
        return SchemaDescription.Sorted(lines);
    }

    private static async Task<List<string>> QueryAsync(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, string> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
