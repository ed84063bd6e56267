using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Erasure;

/// <summary>The main erasure scenario on PostgreSQL (with Quartz clustered there), as on SQLite.</summary>
public sealed class PostgresErasureTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public Task Path_rules_and_tags_erase_every_version_in_every_repository_on_postgres() =>
        ErasureRequestTests.PathRulesAndTagsScenarioAsync(database.ServerSettings);
}
