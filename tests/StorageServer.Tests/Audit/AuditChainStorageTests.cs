using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Audit;
using StorageServer.Data.Entities;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Audit;

/// <summary>
/// What each database must do for the audit chain to hold: keep every hashed field exactly, and
/// refuse a second entry after the same predecessor (AuditLog's in-process lock cannot serialise
/// appends from two nodes; it retries on the new head instead).
/// </summary>
public abstract class AuditChainStorageTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Entries_read_back_from_the_database_still_verify_whatever_the_clock_resolution()
    {
        // TimeProvider.System has 100 ns ticks; PostgreSQL keeps microseconds.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        await using (var writer = await database.CreateMigratedContextAsync())
        {
            var log = new AuditLog(writer, clock, NullLogger<AuditLog>.Instance);
            for (var i = 0; i < 3; i++)
            {
                clock.Advance(TimeSpan.FromTicks(3));
                await log.AppendAsync("admin", "token.create", $"token:{i}", new { expiresAt = clock.GetUtcNow() }, CancellationToken.None);
            }
        }

        await using var reader = database.CreateContext();
        Assert.Null(AuditChain.FindFirstBreak(await reader.AuditEvents.AsNoTracking().OrderBy(a => a.Id).ToListAsync()));
    }

    [Fact]
    public async Task A_second_entry_after_the_same_predecessor_is_refused_as_a_unique_violation()
    {
        // What another node does when it read the same head: AuditLog retries on this violation.
        await using var db = await database.CreateMigratedContextAsync();
        var head = await new AuditLog(db, _clock, NullLogger<AuditLog>.Instance).AppendAsync("admin", "repo.create", "team/a", null, CancellationToken.None);
        db.AuditEvents.Add(Link(head.Hash, "team/b"));
        await db.SaveChangesAsync();

        await using var otherNode = database.CreateContext();
        otherNode.AuditEvents.Add(Link(head.Hash, "team/c"));
        var exception = await Assert.ThrowsAsync<DbUpdateException>(() => otherNode.SaveChangesAsync());
        Assert.True(otherNode.IsUniqueViolation(exception), exception.InnerException?.Message);
    }

    [Fact]
    public async Task An_append_that_loses_the_race_to_another_node_retries_on_the_new_head()
    {
        await using var otherNode = await database.CreateMigratedContextAsync();
        AuditEvent? competitor = null;
        var interceptor = new BeforeFirstInsertInterceptor("audit_events", async () =>
        {
            // The other node read the same head and commits first.
            var head = await otherNode.AuditEvents.AsNoTracking().OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync();
            competitor = Link(head ?? AuditChain.Genesis, "team/other-node");
            otherNode.AuditEvents.Add(competitor);
            await otherNode.SaveChangesAsync();
        });
        await using var db = database.CreateContext(interceptor);

        var appended = await new AuditLog(db, _clock, NullLogger<AuditLog>.Instance).AppendAsync("admin", "repo.create", "team/this-node", null, CancellationToken.None);

        Assert.NotNull(competitor);
        Assert.Equal(competitor.Hash, appended.PreviousHash);
        await using var reader = database.CreateContext();
        Assert.Null(AuditChain.FindFirstBreak(await reader.AuditEvents.AsNoTracking().OrderBy(a => a.Id).ToListAsync()));
    }

    private AuditEvent Link(string previousHash, string target)
    {
        var entry = new AuditEvent
        {
            At = _clock.GetUtcNow(),
            Actor = "admin",
            Action = "repo.create",
            Target = target,
            PreviousHash = previousHash,
            Hash = string.Empty,
        };
        entry.Hash = AuditChain.ComputeHash(entry);
        return entry;
    }
}

public sealed class SqliteAuditChainStorageTests(SqliteTestDatabase database) : AuditChainStorageTests<SqliteTestDatabase>(database);

public sealed class PostgresAuditChainStorageTests(PostgresTestDatabase database) : AuditChainStorageTests<PostgresTestDatabase>(database);
