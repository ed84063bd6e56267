using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Erasure;

/// <summary>The main erasure scenario on PostgreSQL (with Quartz clustered there), as on SQLite.</summary>
public sealed class PostgresErasureTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public async Task Path_rules_and_tags_erase_every_version_in_every_repository_on_postgres()
    {
        var ranOnPostgres = false;
        await ErasureRequestTests.PathRulesAndTagsScenarioAsync(database.ServerSettings, async server =>
        {
            // The scenario's own assertions ran; make sure they ran against PostgreSQL and left their records there.
            using var scope = server.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            Assert.IsType<PostgresStorageDbContext>(db);
            Assert.True(await db.Set<ErasureReceipt>().AnyAsync(), "no receipt stored in PostgreSQL");
            Assert.True(await db.JobRuns.AnyAsync(r => r.Job == StorageServer.Erasure.Jobs.ErasureJob.Name), "the erasure job did not run through the PostgreSQL job store");
            ranOnPostgres = true;
        });
        Assert.True(ranOnPostgres);
    }
}
