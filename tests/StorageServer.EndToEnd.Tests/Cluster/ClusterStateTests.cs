using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>Nodes share their state through the database: what one node creates, the other honours.</summary>
public sealed class ClusterStateTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task Tokens_and_locks_made_through_one_node_work_on_the_other()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 2);
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        await first.CreateRepoAsync(Repo);
        var token = await first.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });

        using var onFirst = ClusterApi.Client(first, token);
        using var onSecond = ClusterApi.Client(second, token);
        using (var batch = await onSecond.BatchAsync(Repo, "upload", new string('a', 64), 10))
        {
            Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        }

        using var created = await onFirst.PostLfsAsync($"/{Repo}.git/info/lfs/locks", new { path = "models/big.bin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lockId = (await created.JsonAsync()).GetProperty("lock").GetProperty("id").GetString();

        using (var listed = await onSecond.GetAsync($"/{Repo}.git/info/lfs/locks?path=models/big.bin"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.Equal(lockId, (await listed.JsonAsync()).GetProperty("locks")[0].GetProperty("id").GetString());
        }
        using (var conflict = await onSecond.PostLfsAsync($"/{Repo}.git/info/lfs/locks", new { path = "models/big.bin" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        }
        using (var unlocked = await onSecond.PostLfsAsync($"/{Repo}.git/info/lfs/locks/{lockId}/unlock", new { force = false }))
        {
            Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        }

        // A token revoked through the second node stops working on the first at once.
        using var admin = second.CreateClient(ServerProcess.AdminToken);
        var tokens = await admin.GetFromJsonAsync<JsonElement>("/api/tokens");
        var id = tokens.EnumerateArray().Single(t => t.GetProperty("user").GetString() == "alice").GetProperty("id");
        using (var revoked = await admin.DeleteAsync($"/api/tokens/{id}"))
        {
            Assert.True(revoked.IsSuccessStatusCode, $"revoke: {revoked.StatusCode}");
        }
        using (var refused = await onFirst.BatchAsync(Repo, "upload", new string('a', 64), 10))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_an_empty_database_migrate_it_once()
    {
        // StartAsync starts both nodes at the same moment on a database nobody has migrated.
        await using var cluster = await ClusterFixture.StartAsync(nodes: 2);
        var history = await cluster.QueryAsync("SELECT count(*), count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\"");
        var counts = history.Split('|');
        Assert.True(int.Parse(counts[0]) > 0, "no migration recorded");
        Assert.Equal(counts[1], counts[0]);
        foreach (var node in cluster.Nodes)
        {
            using var client = node.CreateClient();
            using var ready = await client.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        // Both applied nothing twice: exactly one node logged applying migrations, the other found none pending.
        Assert.Single(cluster.Nodes, n => n.Log.Contains("Applying ", StringComparison.Ordinal));
    }
}
