using System.Text;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Retention.Reachability;

/// <summary>
/// Multi-row <c>INSERT … ON CONFLICT DO NOTHING</c> of new reachability rows (a first mark over a
/// large repository adds one per object; EF change tracking made that the mark's main cost), sized for
/// the provider and up to a thousand rows per transaction (<see cref="GroupedStatements"/>).
/// Table, columns and stored forms come from the EF model, as in the pointer indexer.
/// </summary>
internal static class ReachabilityInserts
{
    public static async Task InsertAsync(StorageDbContext db, IReadOnlyList<Entities.Reachability> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var entity = db.Model.FindEntityType(typeof(Entities.Reachability))!;
        string[] properties =
        [
            nameof(Entities.Reachability.RepositoryId), nameof(Entities.Reachability.Oid), nameof(Entities.Reachability.Size),
            nameof(Entities.Reachability.ReferencedByTip), nameof(Entities.Reachability.FirstSeenAt), nameof(Entities.Reachability.UnreferencedSince),
            nameof(Entities.Reachability.LastRef), nameof(Entities.Reachability.LastPath),
        ];
        var columns = properties.Select(p => entity.FindProperty(p)!).ToList();
        var prefix = $"INSERT INTO {Quote(entity.GetTableName()!)} ({string.Join(", ", columns.Select(c => Quote(c.GetColumnName())))}) VALUES ";
        await GroupedStatements.ExecuteAsync(db, rows, columns.Count, (chunk, token) =>
        {
            var sql = new StringBuilder(prefix);
            var parameters = new List<object>(chunk.Length * columns.Count);
            for (var i = 0; i < chunk.Length; i++)
            {
                var row = chunk[i];
                object?[] values = [row.RepositoryId, row.Oid, row.Size, row.ReferencedByTip, row.FirstSeenAt, row.UnreferencedSince, row.LastRef, row.LastPath];
                sql.Append(i == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    sql.Append(c == 0 ? "" : ", ");
                    if (values[c] is null)
                    {
                        // A raw-SQL parameter needs a type; a literal NULL does not.
                        sql.Append("NULL");
                        continue;
                    }
                    var converter = columns[c].GetTypeMapping().Converter;
                    parameters.Add(converter?.ConvertToProvider(values[c]) ?? values[c]!);
                    sql.Append('{').Append(parameters.Count - 1).Append('}');
                }
                sql.Append(')');
            }
            sql.Append(" ON CONFLICT DO NOTHING");
            return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, token);
        }, cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
