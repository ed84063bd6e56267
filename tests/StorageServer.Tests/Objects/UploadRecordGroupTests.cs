using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Objects;
using StorageServer.Objects.Recording;
using StorageServer.Retention.Sweeping;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Objects;

/// <summary>
/// Upload records committed together (issue 17): every upload of a group gets its object, its
/// claim and its lease release, and one upload's failure or erased object touches none of the
/// others. The group itself runs on both providers; uploads use it on SQLite only.
/// </summary>
public abstract class UploadRecordGroupTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Concurrent_uploads_are_all_recorded_each_with_its_claim_and_no_lease_left()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        var repositoryId = await CreateRepoAsync(server);
        var contents = Enumerable.Range(0, 16).Select(i => RandomNumberGenerator.GetBytes(1000 + i)).ToArray();

        var results = await Task.WhenAll(contents.Select(async bytes =>
        {
            await using var scope = server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ObjectUploadService>().UploadAsync(
                repositoryId, OidOf(bytes), bytes.Length, new MemoryStream(bytes), "alice", "refs/heads/main", CancellationToken.None);
        }));

        Assert.All(results, r => Assert.Equal(UploadOutcome.Stored, r.Outcome));
        await using var check = server.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<StorageDbContext>();
        var oids = contents.Select(b => OidOf(b).Value).ToList();
        Assert.Equal(16, await db.Objects.CountAsync(o => oids.Contains(o.Oid) && o.State == ObjectState.Live));
        Assert.Equal(16, await db.RepoObjects.CountAsync(c => oids.Contains(c.Oid) && c.RepositoryId == repositoryId && c.UploadedBy == "alice"));
        foreach (var oid in oids)
        {
            Assert.False(await IsLeasedAsync(server, db, oid));
        }
    }

    [Fact]
    public async Task A_record_that_fails_in_a_group_leaves_the_others_recorded_and_keeps_its_own_lease()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        var repositoryId = await CreateRepoAsync(server);
        // The middle record names no repository: its claim breaks a foreign key.
        var group = await PendingAsync(server, (repositoryId, RandomOid()), (-1, RandomOid()), (repositoryId, RandomOid()));

        await server.Services.GetRequiredService<UploadRecordGroups>().CommitGroupAsync(group);

        Assert.Equal(RecordOutcome.Recorded, await group[0].Outcome.Task);
        await Assert.ThrowsAsync<DbUpdateException>(() => group[1].Outcome.Task);
        Assert.Equal(RecordOutcome.Recorded, await group[2].Outcome.Task);
        await using var check = server.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<StorageDbContext>();
        foreach (var recorded in new[] { group[0], group[2] })
        {
            var oid = recorded.Record.Oid.Value;
            Assert.True(await db.Objects.AnyAsync(o => o.Oid == oid && o.State == ObjectState.Live));
            Assert.True(await db.RepoObjects.AnyAsync(c => c.Oid == oid && c.RepositoryId == repositoryId));
            Assert.False(await IsLeasedAsync(server, db, oid));
        }
        var failed = group[1].Record.Oid.Value;
        Assert.False(await db.Objects.AnyAsync(o => o.Oid == failed), "the failed record's object row was committed");
        Assert.True(await IsLeasedAsync(server, db, failed), "the failed upload's lease is its own to release");
    }

    [Fact]
    public async Task An_erased_object_in_a_group_is_not_revived_and_the_same_object_twice_in_a_group_is_recorded_once_with_both_claims()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        var repositoryId = await CreateRepoAsync(server);
        var otherId = await CreateRepoAsync(server);
        var (restricted, purged, shared) = (RandomOid(), RandomOid(), RandomOid());
        await using (var setup = server.Services.CreateAsyncScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<StorageDbContext>();
            var now = server.Clock.GetUtcNow();
            db.Objects.Add(new StoredObject { Oid = restricted, Size = 10, State = ObjectState.Restricted, CreatedAt = now, StateChangedAt = now });
            db.Objects.Add(new StoredObject { Oid = purged, Size = 10, State = ObjectState.Purged, CreatedAt = now, StateChangedAt = now });
            await db.SaveChangesAsync();
        }
        var group = await PendingAsync(server, (repositoryId, shared), (repositoryId, restricted), (repositoryId, purged), (otherId, shared));

        await server.Services.GetRequiredService<UploadRecordGroups>().CommitGroupAsync(group);

        Assert.Equal(
            [RecordOutcome.Recorded, RecordOutcome.Restricted, RecordOutcome.Purged, RecordOutcome.Recorded],
            await Task.WhenAll(group.Select(p => p.Outcome.Task)));
        await using var check = server.Services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<StorageDbContext>();
        Assert.Equal(ObjectState.Restricted, await read.Objects.Where(o => o.Oid == restricted).Select(o => o.State).SingleAsync());
        Assert.Equal(ObjectState.Purged, await read.Objects.Where(o => o.Oid == purged).Select(o => o.State).SingleAsync());
        Assert.False(await read.RepoObjects.AnyAsync(c => c.Oid == restricted || c.Oid == purged), "an erased object gained a claim");
        Assert.Equal(ObjectState.Live, await read.Objects.Where(o => o.Oid == shared).Select(o => o.State).SingleAsync());
        Assert.Equal(new[] { repositoryId, otherId }.Order(), await read.RepoObjects.Where(c => c.Oid == shared).Select(c => c.RepositoryId).OrderBy(i => i).ToListAsync());
        Assert.True(await IsLeasedAsync(server, read, restricted) && await IsLeasedAsync(server, read, purged)); // held until their uploads end
        Assert.False(await IsLeasedAsync(server, read, shared));
    }

    [Fact]
    public async Task A_deleted_object_uploaded_again_in_a_group_is_live_again_with_its_new_size_and_the_claim()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        var repositoryId = await CreateRepoAsync(server);
        var deleted = RandomOid();
        await using (var setup = server.Services.CreateAsyncScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<StorageDbContext>();
            var then = server.Clock.GetUtcNow().AddDays(-3);
            db.Objects.Add(new StoredObject { Oid = deleted, Size = 3, State = ObjectState.Deleted, CreatedAt = then, StateChangedAt = then });
            await db.SaveChangesAsync();
        }
        var group = await PendingAsync(server, (repositoryId, deleted));

        await server.Services.GetRequiredService<UploadRecordGroups>().CommitGroupAsync(group);

        Assert.Equal(RecordOutcome.Recorded, await group[0].Outcome.Task);
        await using var check = server.Services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<StorageDbContext>();
        var revived = await read.Objects.SingleAsync(o => o.Oid == deleted);
        Assert.Equal((ObjectState.Live, 10L, server.Clock.GetUtcNow()), (revived.State, revived.Size, revived.StateChangedAt));
        Assert.True(await read.RepoObjects.AnyAsync(c => c.Oid == deleted && c.RepositoryId == repositoryId && c.UploadedBy == "alice"));
        Assert.False(await IsLeasedAsync(server, read, deleted));
    }

    private static async Task<List<UploadRecordGroups.PendingRecord>> PendingAsync(StorageServerFactory server, params (long RepositoryId, string Oid)[] uploads)
    {
        var leases = server.Services.GetRequiredService<UploadLeases>();
        var group = new List<UploadRecordGroups.PendingRecord>();
        foreach (var (repositoryId, oid) in uploads)
        {
            var lease = await leases.AcquireAsync(oid, CancellationToken.None);
            group.Add(new UploadRecordGroups.PendingRecord(new UploadRecord(repositoryId, Oid.Parse(oid), 10, "alice", null, lease!)));
        }
        return group;
    }

    private static Task<bool> IsLeasedAsync(StorageServerFactory server, StorageDbContext db, string oid) =>
        server.Services.GetRequiredService<UploadLeases>().IsLeasedAsync(db, oid, server.Clock.GetUtcNow(), CancellationToken.None);

    private static async Task<long> CreateRepoAsync(StorageServerFactory server)
    {
        var name = "team/group-" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateRepoAsync(name);
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StorageDbContext>().Repositories.Where(r => r.Name == name).Select(r => r.Id).SingleAsync();
    }

    private static Oid OidOf(byte[] bytes) => Oid.Parse(Convert.ToHexStringLower(SHA256.HashData(bytes)));

    private static string RandomOid() => Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()));
}

public sealed class SqliteUploadRecordGroupTests(SqliteTestDatabase database) : UploadRecordGroupTests<SqliteTestDatabase>(database);

public sealed class PostgresUploadRecordGroupTests(PostgresTestDatabase database) : UploadRecordGroupTests<PostgresTestDatabase>(database);
