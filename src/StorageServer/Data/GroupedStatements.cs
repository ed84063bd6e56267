using Microsoft.EntityFrameworkCore;

namespace StorageServer.Data;

/// <summary>
/// Writes many rows with multi-row statements (the pointer index's, DVC outputs' and reachability's
/// <c>INSERT … ON CONFLICT DO NOTHING</c>), sized for the provider, in transactions of up to
/// <see cref="RowsPerTransaction"/> rows: one commit, so one WAL fsync on SQLite, per thousand rows
/// instead of per statement (a 1,000-pointer push committed ten times for its index rows and ten
/// for its reachability rows, issue 17), while no transaction holds SQLite's single write lock for
/// long when a rescan or a first mark of a large repository writes many. Inside a transaction the
/// caller already holds, the statements simply join it.
/// </summary>
internal static class GroupedStatements
{
    public const int RowsPerTransaction = 1000;

    /// <summary>Rows per statement on other providers (PostgreSQL: one round trip per statement).</summary>
    private const int RowsPerStatement = 100;

    /// <summary>
    /// Parameters per statement on SQLite: it binds a named parameter by a linear search of the
    /// statement's parameter names, so a statement of P parameters costs about P²/2 string compares
    /// (100 reachability rows of 8 values: 320,000), far more than smaller statements cost.
    /// </summary>
    private const int SqliteParametersPerStatement = 120;

    /// <summary>
    /// Runs <paramref name="execute"/> for each statement-sized chunk of <paramref name="rows"/>
    /// (each row binding <paramref name="parametersPerRow"/> values); returns the sum of what it
    /// returned (rows written).
    /// </summary>
    public static Task<int> ExecuteAsync<T>(
        StorageDbContext db, IEnumerable<T> rows, int parametersPerRow, Func<T[], CancellationToken, Task<int>> execute, CancellationToken cancellationToken)
    {
        var rowsPerStatement = db.Database.IsSqlite() ? Math.Max(1, SqliteParametersPerStatement / parametersPerRow) : RowsPerStatement;
        return InTransactionsAsync(db, rows, async (group, token) =>
        {
            var written = 0;
            foreach (var statement in group.Chunk(rowsPerStatement))
            {
                written += await execute(statement, token);
            }
            return written;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="write"/> for each group of up to <see cref="RowsPerTransaction"/> rows in a
    /// transaction of its own (or in the caller's); returns the sum of what it returned.
    /// </summary>
    public static async Task<int> InTransactionsAsync<T>(
        StorageDbContext db, IEnumerable<T> rows, Func<T[], CancellationToken, Task<int>> write, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var group in rows.Chunk(RowsPerTransaction))
        {
            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            written += await write(group, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        return written;
    }
}
