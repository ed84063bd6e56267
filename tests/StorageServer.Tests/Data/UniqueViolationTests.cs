using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Data;

/// <summary>
/// Callers turn duplicates into 409s and retries through <see cref="StorageDbContext.IsUniqueViolation"/>;
/// each provider must recognise its own unique-constraint error for every unique key that matters.
/// </summary>
public abstract class UniqueViolationTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_second_repository_with_the_same_name_is_a_unique_violation()
    {
        await InsertRepositoryAsync("dup/repo");
        await AssertUniqueViolationAsync(db => db.Repositories.Add(new Repository { Name = "dup/repo", CreatedAt = Now }));
    }

    [Fact]
    public async Task A_second_lock_on_the_same_path_is_a_unique_violation()
    {
        var repositoryId = await InsertRepositoryAsync("locks/repo");
        await InsertAsync(db => db.Locks.Add(NewLock(repositoryId)));
        await AssertUniqueViolationAsync(db => db.Locks.Add(NewLock(repositoryId)));
    }

    [Fact]
    public async Task A_second_claim_on_the_same_object_is_a_unique_violation()
    {
        var repositoryId = await InsertRepositoryAsync("claims/repo");
        var oid = new string('a', 64);
        await InsertAsync(db =>
        {
            db.Objects.Add(new StoredObject { Oid = oid, Size = 1, State = ObjectState.Live, CreatedAt = Now, StateChangedAt = Now });
            db.RepoObjects.Add(NewClaim(repositoryId, oid));
        });
        await AssertUniqueViolationAsync(db => db.RepoObjects.Add(NewClaim(repositoryId, oid)));
    }

    [Fact]
    public async Task A_foreign_key_failure_is_not_mistaken_for_a_duplicate()
    {
        // A claim on an object row that does not exist: a bug, not "already exists".
        await using var db = await database.CreateMigratedContextAsync();
        var repositoryId = await InsertRepositoryAsync("fk/repo");
        db.RepoObjects.Add(NewClaim(repositoryId, new string('b', 64)));
        var exception = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.False(db.IsUniqueViolation(exception), exception.InnerException?.Message);
    }

    private static FileLock NewLock(long repositoryId) =>
        new() { Id = Guid.NewGuid().ToString(), RepositoryId = repositoryId, Path = "assets/big.psd", Owner = "alice", LockedAt = Now };

    private static RepoObject NewClaim(long repositoryId, string oid) =>
        new() { RepositoryId = repositoryId, Oid = oid, UploadedBy = "alice", UploadedAt = Now };

    private async Task<long> InsertRepositoryAsync(string name)
    {
        var repository = new Repository { Name = name, CreatedAt = Now };
        await InsertAsync(db => db.Repositories.Add(repository));
        return repository.Id;
    }

    private async Task InsertAsync(Action<StorageDbContext> add)
    {
        await using var db = await database.CreateMigratedContextAsync();
        add(db);
        await db.SaveChangesAsync();
    }

    private async Task AssertUniqueViolationAsync(Action<StorageDbContext> add)
    {
        await using var db = await database.CreateMigratedContextAsync();
        add(db);
        var exception = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(db.IsUniqueViolation(exception), $"not recognised as a unique violation: {exception.InnerException?.Message}");
    }
}

public sealed class SqliteUniqueViolationTests(SqliteTestDatabase database) : UniqueViolationTests<SqliteTestDatabase>(database);

public sealed class PostgresUniqueViolationTests(PostgresTestDatabase database) : UniqueViolationTests<PostgresTestDatabase>(database);
