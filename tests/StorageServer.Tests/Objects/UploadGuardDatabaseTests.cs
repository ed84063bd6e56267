using System.Reflection;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Erasure;
using StorageServer.Erasure.Data;
using StorageServer.Objects;
using StorageServer.Retention.Sweeping;
using StorageServer.Storage;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Objects;

/// <summary>The checks every upload passes before its bytes are recorded, on every database provider.</summary>
public abstract class UploadGuardDatabaseTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task An_oid_is_erased_by_its_purged_row_or_by_its_tombstone_alone()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var (purged, tombstoned, live) = (RandomOid(), RandomOid(), RandomOid());
        var now = server.Clock.GetUtcNow();
        db.Objects.Add(new StoredObject { Oid = purged, Size = 1, State = ObjectState.Purged, CreatedAt = now, StateChangedAt = now });
        db.Objects.Add(new StoredObject { Oid = live, Size = 1, State = ObjectState.Live, CreatedAt = now, StateChangedAt = now });
        var hasher = scope.ServiceProvider.GetRequiredService<SubjectHasher>();
        db.Set<ErasureTombstone>().Add(new ErasureTombstone { OidHash = hasher.Oid(tombstoned), RequestId = "test", ErasedAt = now });
        await db.SaveChangesAsync();

        var erased = await scope.ServiceProvider.GetRequiredService<ObjectClaims>().FindErasedAsync([purged, tombstoned, live, RandomOid()], CancellationToken.None);

        Assert.Equal(new[] { purged, tombstoned }.Order(StringComparer.Ordinal), erased.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_uploads_lease_finds_the_oid_erased_by_its_purged_or_restricted_row_or_its_tombstone_alone()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var (purged, restricted, tombstoned, live, unknown) = (RandomOid(), RandomOid(), RandomOid(), RandomOid(), RandomOid());
        var now = server.Clock.GetUtcNow();
        db.Objects.Add(new StoredObject { Oid = purged, Size = 1, State = ObjectState.Purged, CreatedAt = now, StateChangedAt = now });
        db.Objects.Add(new StoredObject { Oid = restricted, Size = 1, State = ObjectState.Restricted, CreatedAt = now, StateChangedAt = now });
        db.Objects.Add(new StoredObject { Oid = live, Size = 1, State = ObjectState.Live, CreatedAt = now, StateChangedAt = now });
        db.Set<ErasureTombstone>().Add(new ErasureTombstone { OidHash = scope.ServiceProvider.GetRequiredService<SubjectHasher>().Oid(tombstoned), RequestId = "test", ErasedAt = now });
        await db.SaveChangesAsync();
        var leases = server.Services.GetRequiredService<UploadLeases>();

        var found = new Dictionary<string, bool>();
        var foundOnTheRequestsContext = new Dictionary<string, bool>();
        foreach (var oid in new[] { purged, restricted, tombstoned, live, unknown })
        {
            var acquisition = await leases.AcquireForUploadAsync(oid, CancellationToken.None);
            await using (acquisition.Lease)
            {
                Assert.NotNull(acquisition.Lease);
                found[oid] = acquisition.Erased;
            }
            // As an upload request takes it: on the request's context (on SQLite; in a context of its own where leases are rows).
            acquisition = await leases.AcquireForUploadAsync(db, oid, CancellationToken.None);
            await using (acquisition.Lease)
            {
                Assert.NotNull(acquisition.Lease);
                Assert.True(await leases.IsLeasedAsync(db, oid, server.Clock.GetUtcNow(), CancellationToken.None));
                foundOnTheRequestsContext[oid] = acquisition.Erased;
            }
            Assert.Equal(System.Data.ConnectionState.Closed, db.Database.GetDbConnection().State); // the request's connection is not left open
        }

        Assert.Equal([true, true, true, false, false], new[] { purged, restricted, tombstoned, live, unknown }.Select(o => found[o]));
        Assert.Equal([true, true, true, false, false], new[] { purged, restricted, tombstoned, live, unknown }.Select(o => foundOnTheRequestsContext[o]));
    }

    [Fact]
    public async Task A_direct_upload_holds_the_upload_lease_while_the_store_publishes_its_bytes()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        var repo = "team/direct-" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateRepoAsync(repo);
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var repositoryId = await db.Repositories.Where(r => r.Name == repo).Select(r => r.Id).SingleAsync();
        var oid = Oid.Parse(RandomOid());
        var store = DispatchProxy.Create<IPresignedTransferStore, LeaseProbingStore>();
        ((LeaseProbingStore)(object)store).Scopes = server.Services.GetRequiredService<IServiceScopeFactory>();

        var result = await scope.ServiceProvider.GetRequiredService<ObjectUploadService>()
            .CompleteDirectUploadAsync(store, repositoryId, oid, 7, new string('0', 32), "alice", CancellationToken.None);

        Assert.Equal(UploadOutcome.Stored, result?.Outcome);
        Assert.True(((LeaseProbingStore)(object)store).LeasedDuringCompletion, "a retention sweep could delete the bytes the verify is publishing");
        Assert.False(await server.Services.GetRequiredService<UploadLeases>().IsLeasedAsync(db, oid.Value, server.Clock.GetUtcNow(), CancellationToken.None));
        Assert.True(await db.RepoObjects.AnyAsync(c => c.RepositoryId == repositoryId && c.Oid == oid.Value));
    }

    [Fact]
    public async Task A_held_upload_lease_is_a_row_only_where_several_nodes_share_the_database()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var leases = server.Services.GetRequiredService<UploadLeases>();
        var oid = RandomOid();

        bool leased;
        int rows;
        await using (var lease = await leases.AcquireAsync(oid, CancellationToken.None))
        {
            Assert.NotNull(lease);
            leased = await leases.IsLeasedAsync(db, oid, server.Clock.GetUtcNow(), CancellationToken.None);
            rows = await db.Set<StorageServer.Retention.Entities.UploadLease>().CountAsync(l => l.Oid == oid);
        }

        Assert.True(leased);
        Assert.Equal(LeaseRowsWhileHeld, rows);
        Assert.False(await leases.IsLeasedAsync(db, oid, server.Clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal(0, await db.Set<StorageServer.Retention.Entities.UploadLease>().CountAsync(l => l.Oid == oid));
    }

    /// <summary>Lease rows of one held lease: one where nodes share the database, none where one process owns it.</summary>
    protected abstract int LeaseRowsWhileHeld { get; }

    private static string RandomOid() => Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()));

    /// <summary>A direct-transfer store whose completion only records whether a lease covered it.</summary>
    public class LeaseProbingStore : DispatchProxy
    {
        public IServiceScopeFactory Scopes { get; set; } = null!;

        public bool LeasedDuringCompletion { get; private set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            nameof(IPresignedTransferStore.CompleteUploadAsync) => CompleteAsync((Oid)args![0]!, (long)args[1]!),
            _ => throw new NotSupportedException(targetMethod?.Name),
        };

        private async Task<PutResult?> CompleteAsync(Oid oid, long size)
        {
            await using var scope = Scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            LeasedDuringCompletion = await scope.ServiceProvider.GetRequiredService<UploadLeases>().IsLeasedAsync(db, oid.Value, clock.GetUtcNow(), CancellationToken.None);
            return new PutResult(PutStatus.Stored, size);
        }
    }
}

public sealed class SqliteUploadGuardDatabaseTests(SqliteTestDatabase database) : UploadGuardDatabaseTests<SqliteTestDatabase>(database)
{
    protected override int LeaseRowsWhileHeld => 0;
}

public sealed class PostgresUploadGuardDatabaseTests(PostgresTestDatabase database) : UploadGuardDatabaseTests<PostgresTestDatabase>(database)
{
    protected override int LeaseRowsWhileHeld => 1;
}
