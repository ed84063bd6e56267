using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using static StorageServer.Data.SqlIdentifiers;

namespace StorageServer.Data;

/// <summary>
/// <c>INSERT … ON CONFLICT DO NOTHING</c> of many rows into one entity's table (the pointer index's,
/// DVC outputs' and reachability's rows); returns how many were new. Table and column names and the
/// stored form of each value come from the EF model, so the schema is still spelled once there.
/// On SQLite every row runs through <b>one prepared single-row statement</b> per transaction, its
/// parameters rebound: multi-row statements of ad-hoc SQL cost SQLite a parse and plan per statement
/// and EF a parameter type-mapping lookup per value, about 0.1 ms per row, so a 1,000-pointer push
/// spent ~200 ms of server CPU on its index and reachability inserts (issue 17). On other providers
/// (PostgreSQL: a round trip per statement) rows go in multi-row statements. Either way in
/// transactions of up to <see cref="GroupedStatements.RowsPerTransaction"/> rows, joining one the
/// caller holds (<see cref="GroupedStatements"/>).
/// </summary>
internal static class RowInserts
{
    /// <param name="properties">The entity's properties, in the order of each row's values.</param>
    /// <param name="rows">One value per property each; null stores NULL.</param>
    public static async Task<int> InsertNewAsync(
        StorageDbContext db, Type entityType, IReadOnlyList<string> properties, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(entityType)!;
        var columns = properties.Select(p => entity.FindProperty(p)!).ToArray();
        var prefix = $"INSERT INTO {Quote(entity.GetTableName()!)} ({string.Join(", ", columns.Select(c => Quote(c.GetColumnName())))}) VALUES ";
        return db.Database.IsSqlite()
            ? await InsertPreparedAsync(db, prefix, columns, rows, cancellationToken)
            : await GroupedStatements.ExecuteAsync(db, rows, columns.Length, (chunk, token) => InsertChunkAsync(db, prefix, columns, chunk, token), cancellationToken);
    }

    private static async Task<int> InsertPreparedAsync(
        StorageDbContext db, string prefix, IProperty[] columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await GroupedStatements.InTransactionsAsync(db, rows, async (group, token) =>
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
                command.CommandText = prefix + "(" + string.Join(", ", columns.Select((_, i) => $"@p{i}")) + ") ON CONFLICT DO NOTHING";
                var parameters = new DbParameter[columns.Length];
                for (var i = 0; i < columns.Length; i++)
                {
                    parameters[i] = command.CreateParameter();
                    parameters[i].ParameterName = $"@p{i}";
                    command.Parameters.Add(parameters[i]);
                }
                var written = 0;
                foreach (var row in group)
                {
                    for (var i = 0; i < columns.Length; i++)
                    {
                        parameters[i].Value = Stored(columns[i], row[i]) ?? DBNull.Value;
                    }
                    // The statement is prepared on the first execution and reused (Microsoft.Data.Sqlite keeps it on the command).
                    written += await command.ExecuteNonQueryAsync(token);
                }
                return written;
            }, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Task<int> InsertChunkAsync(StorageDbContext db, string prefix, IProperty[] columns, object?[][] chunk, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(prefix);
        var parameters = new List<object>(chunk.Length * columns.Length);
        for (var r = 0; r < chunk.Length; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                sql.Append(c == 0 ? "" : ", ");
                if (Stored(columns[c], chunk[r][c]) is not { } value)
                {
                    // A raw-SQL parameter needs a type; a literal NULL does not.
                    sql.Append("NULL");
                    continue;
                }
                parameters.Add(value);
                sql.Append('{').Append(parameters.Count - 1).Append('}');
            }
            sql.Append(')');
        }
        sql.Append(" ON CONFLICT DO NOTHING");
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }

    /// <summary>The value as the provider stores it (EF's converter of the column, e.g. DateTimeOffset on SQLite).</summary>
    private static object? Stored(IProperty column, object? value) =>
        value is null ? null : column.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
}
