using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Audit;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Audit;

/// <summary>
/// Appends racing from several contexts never fork the hash chain. In one process AuditLog's lock
/// serialises them; across nodes the database refuses a second successor and the loser retries
/// (AuditChainStorageTests covers that path).
/// </summary>
public abstract class AuditConcurrencyTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const int AppendsPerWriter = 15;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Racing_appends_from_two_contexts_form_one_unbroken_chain()
    {
        await using var first = await database.CreateMigratedContextAsync();
        await using var second = database.CreateContext();
        var before = await first.AuditEvents.CountAsync();
        var writers = new[] { first, second }.Select((db, writer) => Task.Run(async () =>
        {
            var log = new AuditLog(db, _clock, NullLogger<AuditLog>.Instance);
            for (var i = 0; i < AppendsPerWriter; i++)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
                await log.AppendAsync("admin", "repo.create", $"writer{writer}/repo{i}", null, CancellationToken.None);
            }
        }));
        await Task.WhenAll(writers);

        await using var reader = database.CreateContext();
        var entries = await reader.AuditEvents.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(before + (2 * AppendsPerWriter), entries.Count);
        Assert.Null(AuditChain.FindFirstBreak(entries));
    }
}

public sealed class SqliteAuditConcurrencyTests(SqliteTestDatabase database) : AuditConcurrencyTests<SqliteTestDatabase>(database);

public sealed class PostgresAuditConcurrencyTests(PostgresTestDatabase database) : AuditConcurrencyTests<PostgresTestDatabase>(database);
