using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Admin;

/// <summary>The admin API end to end, on every database provider the server supports.</summary>
public abstract class AdminApiDatabaseTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Repos_and_tokens_round_trip_through_the_admin_api()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        using var admin = server.CreateAdminClient();
        await server.CreateRepoAsync("team/data");
        using (var duplicate = await admin.PostAsJsonAsync("/api/repos", new { name = "team/data" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        }
        var repo = await admin.GetFromJsonAsync<JsonElement>("/api/repos/team/data");
        Assert.Equal(server.Clock.GetUtcNow(), repo.GetProperty("createdAt").GetDateTimeOffset());

        // A caller's expiry in another offset is stored (as UTC on PostgreSQL) and compared correctly.
        var expiresAt = server.Clock.GetUtcNow().AddHours(1).ToOffset(TimeSpan.FromHours(2));
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "read" }, expiresAt);
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/tokens")).EnumerateArray().Single();
        Assert.Equal(expiresAt, listed.GetProperty("expiresAt").GetDateTimeOffset());
        using var alice = server.CreateBasicClient(token);
        using (var authenticated = await alice.GetAsync("/api/repos"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, authenticated.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync($"/api/tokens/{listed.GetProperty("id").GetInt64()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        using (var revoked = await alice.GetAsync("/api/repos"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }
        var verification = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(3, verification.GetProperty("entries").GetInt32());
    }
}

public sealed class SqliteAdminApiDatabaseTests(SqliteTestDatabase database) : AdminApiDatabaseTests<SqliteTestDatabase>(database);

public sealed class PostgresAdminApiDatabaseTests(PostgresTestDatabase database) : AdminApiDatabaseTests<PostgresTestDatabase>(database);
