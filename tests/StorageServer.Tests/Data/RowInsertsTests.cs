using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Tests.Support.Databases;
using ReachabilityRow = StorageServer.Retention.Entities.Reachability;

namespace StorageServer.Tests.Data;

/// <summary>
/// <see cref="RowInserts"/> (the pointer index's and reachability's bulk inserts; on SQLite one
/// prepared statement rebound per row) stores exactly what EF stores, NULLs included, counts only
/// rows that were new, and writes nothing when the caller's transaction rolls back, on every provider.
/// </summary>
public abstract class RowInsertsTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly DateTimeOffset Seen = new(2026, 12, 6, 22, 59, 1, 234, TimeSpan.Zero);

    private static readonly string[] Columns =
    [
        nameof(ReachabilityRow.RepositoryId), nameof(ReachabilityRow.Oid), nameof(ReachabilityRow.Size), nameof(ReachabilityRow.ReferencedByTip),
        nameof(ReachabilityRow.FirstSeenAt), nameof(ReachabilityRow.UnreferencedSince), nameof(ReachabilityRow.LastRef), nameof(ReachabilityRow.LastPath),
    ];

    [Fact]
    public async Task Rows_across_transactions_read_back_as_written_and_only_new_ones_count()
    {
        var repositoryId = await NewRepositoryAsync("rows/many");
        // More than one transaction's worth: the second group must use its own transaction and statement.
        var rows = Enumerable.Range(0, GroupedStatements.RowsPerTransaction + 7).Select(i => Row(repositoryId, i)).ToList();
        await using (var db = await database.CreateMigratedContextAsync())
        {
            Assert.Equal(rows.Count, await RowInserts.InsertNewAsync(db, typeof(ReachabilityRow), Columns, rows.Select(Values), CancellationToken.None));
        }
        await using (var db = await database.CreateMigratedContextAsync())
        {
            // Three already there, two new: ON CONFLICT DO NOTHING, and the count says two.
            var again = rows.Take(3).Concat([Row(repositoryId, 5000), Row(repositoryId, 5001)]).Select(Values);
            Assert.Equal(2, await RowInserts.InsertNewAsync(db, typeof(ReachabilityRow), Columns, again, CancellationToken.None));
        }
        await using (var db = await database.CreateMigratedContextAsync())
        {
            var stored = await db.Set<ReachabilityRow>().AsNoTracking().Where(r => r.RepositoryId == repositoryId).ToDictionaryAsync(r => r.Oid);
            Assert.Equal(rows.Count + 2, stored.Count);
            foreach (var expected in rows)
            {
                var actual = stored[expected.Oid];
                Assert.Equal(
                    (expected.Size, expected.ReferencedByTip, expected.FirstSeenAt, expected.UnreferencedSince, expected.LastRef, expected.LastPath),
                    (actual.Size, actual.ReferencedByTip, actual.FirstSeenAt, actual.UnreferencedSince, actual.LastRef, actual.LastPath));
            }
            // Stored as EF stores it, so EF's own comparisons of the timestamps translate and agree.
            var dereferencedLater = await db.Set<ReachabilityRow>()
                .CountAsync(r => r.RepositoryId == repositoryId && r.UnreferencedSince > Seen.AddMinutes(500));
            Assert.Equal(rows.Append(Row(repositoryId, 5000)).Count(r => r.UnreferencedSince > Seen.AddMinutes(500)), dereferencedLater);
        }
    }

    [Fact]
    public async Task Inside_a_transaction_that_rolls_back_nothing_is_written()
    {
        var repositoryId = await NewRepositoryAsync("rows/rollback");
        await using (var db = await database.CreateMigratedContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(3, await RowInserts.InsertNewAsync(db, typeof(ReachabilityRow), Columns,
                Enumerable.Range(0, 3).Select(i => Values(Row(repositoryId, i))), CancellationToken.None));
            await transaction.RollbackAsync();
        }
        await using (var db = await database.CreateMigratedContextAsync())
        {
            Assert.Equal(0, await db.Set<ReachabilityRow>().CountAsync(r => r.RepositoryId == repositoryId));
        }
    }

    /// <summary>Every third row still referenced (NULL dereference time), every fifth without a ref or path.</summary>
    private static ReachabilityRow Row(long repositoryId, int i) => new()
    {
        RepositoryId = repositoryId, Oid = i.ToString("x64"), Size = i * 1000L + 1, ReferencedByTip = i % 3 == 0,
        FirstSeenAt = Seen.AddSeconds(i), UnreferencedSince = i % 3 == 0 ? null : Seen.AddMinutes(i),
        LastRef = i % 5 == 0 ? null : $"refs/heads/b{i}", LastPath = i % 5 == 0 ? null : $"data/f{i}.bin",
    };

    private static object?[] Values(ReachabilityRow r) =>
        [r.RepositoryId, r.Oid, r.Size, r.ReferencedByTip, r.FirstSeenAt, r.UnreferencedSince, r.LastRef, r.LastPath];

    private async Task<long> NewRepositoryAsync(string name)
    {
        await using var db = await database.CreateMigratedContextAsync();
        var repository = new Repository { Name = name, CreatedAt = Seen };
        db.Repositories.Add(repository);
        await db.SaveChangesAsync();
        return repository.Id;
    }
}

public sealed class SqliteRowInsertsTests(SqliteTestDatabase database) : RowInsertsTests<SqliteTestDatabase>(database);

public sealed class PostgresRowInsertsTests(PostgresTestDatabase database) : RowInsertsTests<PostgresTestDatabase>(database);
