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
    }
}
