using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Jobs;

/// <summary>The rescan jobs, each provider on a database of its own (so the repositories counted are this test's).</summary>
public abstract class RescanJobTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Rescan_jobs_run_through_the_api_with_progress_and_audit()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        using var admin = server.CreateAdminClient();
        foreach (var name in new[] { "team/a", "team/b", "team/c" })
        {
            await server.CreateRepoAsync(name);
        }

        var all = await JobApi.WaitForEndAsync(admin, await JobApi.RunAsync(admin, "RescanAll"));
        Assert.Equal("succeeded", all.GetProperty("state").GetString());
        Assert.Equal(3, all.GetProperty("progress").GetProperty("total").GetInt64());
        Assert.Equal(3, all.GetProperty("progress").GetProperty("done").GetInt64());
        Assert.Equal("manual", all.GetProperty("trigger").GetString());
        Assert.Equal("admin", all.GetProperty("requestedBy").GetString());
        Assert.False(string.IsNullOrEmpty(all.GetProperty("node").GetString()));
        Assert.Equal(server.Clock.GetUtcNow(), all.GetProperty("finishedAt").GetDateTimeOffset());

        var one = await JobApi.WaitForEndAsync(admin, await JobApi.RunAsync(admin, "RescanRepository", new { repository = "team/b" }));
        Assert.Equal("succeeded", one.GetProperty("state").GetString());
        Assert.Equal("team/b", one.GetProperty("parameters").GetProperty("repository").GetString());

        var missing = await JobApi.WaitForEndAsync(admin, await JobApi.RunAsync(admin, "RescanRepository", new { repository = "team/nope" }));
        Assert.Equal("failed", missing.GetProperty("state").GetString());
        Assert.Equal("Repository 'team/nope' not found.", missing.GetProperty("error").GetString());

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Equal(["RescanAll", "RescanRepository", "RescanRepository"],
            audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "job.run").Select(e => e.GetProperty("target").GetString()));
    }
}

public sealed class SqliteRescanJobTests(SqliteTestDatabase database) : RescanJobTests<SqliteTestDatabase>(database);

public sealed class PostgresRescanJobTests(PostgresTestDatabase database) : RescanJobTests<PostgresTestDatabase>(database);
