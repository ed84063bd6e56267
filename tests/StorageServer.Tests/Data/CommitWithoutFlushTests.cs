using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Retention.Entities;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Data;

/// <summary>
/// The upload lease's commit skips the WAL flush (issue 17) but must be visible to every other
/// connection when it returns, and must leave nothing behind that would make a later commit on the
/// same pooled connection non-durable.
/// </summary>
public abstract class CommitWithoutFlushTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task A_commit_without_flush_is_seen_by_other_connections_at_once_and_its_connection_commits_durably_again()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        await db.Database.OpenConnectionAsync(); // kept open: what the next commit on it would run with
        await ReadAsync(db, DurableSession); // the test cluster itself runs without flushes
        var now = server.Clock.GetUtcNow();
        var oid = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        db.Add(new UploadLease { Oid = oid, Node = "test", StartedAt = now, ExpiresAt = now.AddHours(1) });

        await db.SaveChangesWithoutFlushAsync(CancellationToken.None);

        using (var other = server.Services.CreateScope())
        {
            Assert.True(await other.ServiceProvider.GetRequiredService<StorageDbContext>().Set<UploadLease>().AnyAsync(l => l.Oid == oid));
        }
        Assert.Equal(DurableSetting, await ReadDurabilitySettingAsync(db));
    }

    /// <summary>The connection's setting that makes a commit wait for its flush, in its durable value.</summary>
    protected abstract string DurableSetting { get; }

    protected abstract string DurabilityQuery { get; }

    /// <summary>Makes the session's commits durable, whatever the server's default.</summary>
    protected abstract string DurableSession { get; }

    protected static async Task<string> ReadAsync(StorageDbContext db, string query)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = query;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private Task<string> ReadDurabilitySettingAsync(StorageDbContext db) => ReadAsync(db, DurabilityQuery);
}

public sealed class SqliteCommitWithoutFlushTests(SqliteTestDatabase database) : CommitWithoutFlushTests<SqliteTestDatabase>(database)
{
    protected override string DurableSetting => "2"; // FULL

    protected override string DurabilityQuery => "PRAGMA synchronous;";

    protected override string DurableSession => "PRAGMA synchronous = FULL;";
}

public sealed class PostgresCommitWithoutFlushTests(PostgresTestDatabase database) : CommitWithoutFlushTests<PostgresTestDatabase>(database)
{
    protected override string DurableSetting => "on";

    protected override string DurabilityQuery => "SHOW synchronous_commit;";

    protected override string DurableSession => "SET synchronous_commit = on;";
}
