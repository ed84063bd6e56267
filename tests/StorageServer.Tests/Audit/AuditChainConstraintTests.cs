using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Audit;
using StorageServer.Data.Entities;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Audit;

/// <summary>
/// AuditLog's in-process lock cannot serialise appends from two nodes; the database must refuse a
/// second entry after the same predecessor, which AuditLog then retries on the new head.
/// </summary>
public abstract class AuditChainConstraintTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

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

public sealed class SqliteAuditChainConstraintTests(SqliteTestDatabase database) : AuditChainConstraintTests<SqliteTestDatabase>(database);

public sealed class PostgresAuditChainConstraintTests(PostgresTestDatabase database) : AuditChainConstraintTests<PostgresTestDatabase>(database);
