using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Retention.Entities;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Retention;

/// <summary>The full lifecycle of a dropped object (clock, trash, restore, sweep, tombstone) on PostgreSQL.</summary>
public sealed class RetentionPostgresTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public async Task An_object_dropped_from_all_tips_survives_exactly_N_days_then_is_trashed_restorable_then_gone_on_postgres()
    {
        await using var s = await RetentionScenario.CreateAsync(database.ServerSettings);
        await RetentionScenarioTests.DroppedObjectLifecycleAsync(s);

        // The lifecycle's own assertions ran; make sure they ran against PostgreSQL and left their records there.
        using var scope = s.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        Assert.IsType<PostgresStorageDbContext>(db);
        Assert.True(await db.Set<RetentionRun>().AnyAsync(r => r.Swept > 0), "no sweep that deleted bytes is recorded in PostgreSQL");
        Assert.True(await db.Objects.AnyAsync(o => o.State == ObjectState.Deleted), "no tombstoned object in PostgreSQL");
    }
}
