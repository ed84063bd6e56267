using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StorageServer.Retention.Entities;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Retention;

/// <summary>
/// Stored policies holding the old default protected refs (<c>refs/heads/*</c>, <c>refs/tags/*</c>,
/// which missed slash-named branches and tags) are widened to <c>**</c> by the migration; every other
/// protected ref, and every refGlob, stays as it was.
/// </summary>
public abstract class RefGlobDefaultsMigrationTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly (string? Before, string? RefGlob, string? After)[] Cases =
    [
        ("refs/heads/*\nrefs/tags/*", null, "refs/heads/**\nrefs/tags/**"),
        ("refs/heads/*", null, "refs/heads/**"),
        ("refs/tags/*\nrefs/tags/*\nrefs/heads/main", null, "refs/tags/**\nrefs/tags/**\nrefs/heads/main"),
        ("refs/heads/release/*\nrefs/heads/main", null, "refs/heads/release/*\nrefs/heads/main"),
        ("refs/heads/*x\nrefs/heads/**", null, "refs/heads/*x\nrefs/heads/**"),
        (null, "refs/heads/*", null),
    ];

    [Fact]
    public async Task Old_default_protected_refs_are_widened_and_nothing_else_changes()
    {
        await using (var old = database.CreateContext())
        {
            await old.GetService<IMigrator>().MigrateAsync("20261122180000_RetentionReports");
            foreach (var (before, refGlob, _) in Cases)
            {
                old.Add(new RetentionPolicy
                {
                    Name = before ?? refGlob!, ProtectedRefs = before, RefGlob = refGlob, KeepDaysAfterDereference = refGlob is null ? null : 3, UpdatedBy = "t",
                });
            }
            await old.SaveChangesAsync();
        }

        await using var migrated = await database.CreateMigratedContextAsync();

        var policies = await migrated.Set<RetentionPolicy>().AsNoTracking().OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(Cases.Select(c => (c.After, c.RefGlob)), policies.Select(p => (p.ProtectedRefs, p.RefGlob)));
    }
}

public sealed class SqliteRefGlobDefaultsMigrationTests(SqliteTestDatabase database) : RefGlobDefaultsMigrationTests<SqliteTestDatabase>(database);

public sealed class PostgresRefGlobDefaultsMigrationTests(PostgresTestDatabase database) : RefGlobDefaultsMigrationTests<PostgresTestDatabase>(database);
