using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StorageServer.Tests.Jobs;
using StorageServer.Tests.Lfs;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Retention;

/// <summary>
/// Two nodes (two in-process servers with their own Quartz schedulers) sharing one PostgreSQL
/// database and one data directory: sweeps asked of both at once run one after the other, and
/// every object is deleted by exactly one of them.
/// </summary>
public sealed class RetentionClusterTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public async Task Two_nodes_never_run_a_sweep_at_the_same_time_nor_delete_an_object_twice()
    {
        var shared = Directory.CreateTempSubdirectory("retention-cluster-").FullName;
        try
        {
            using var nodeA = CreateNode("node-a", shared);
            using var nodeB = CreateNode("node-b", shared);
            using var adminA = nodeA.CreateAdminClient();
            using var adminB = nodeB.CreateAdminClient();
            await nodeA.CreateRepoAsync("team/cluster");
            var token = await nodeA.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/cluster"] = "write" });
            using var client = nodeA.CreateBasicClient(token);
            var oids = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                var (bytes, oid) = LfsTestContext.Content(1000 + i, seed: 100 + i);
                var batch = await LfsTestContext.PostBatchAsync(client, LfsTestContext.BatchJson("upload", (oid, bytes.Length)), "/team/cluster.git/info/lfs");
                using var put = await LfsTestContext.SendActionAsync(client, HttpMethod.Put, batch.Json.GetProperty("objects")[0].GetProperty("actions").GetProperty("upload"), LfsTestContext.Bytes(bytes));
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                oids.Add(oid);
            }
            var mark = await StartAsync(adminA, "mark");
            Assert.Equal("succeeded", (await JobApi.WaitForEndAsync(adminA, mark)).GetProperty("state").GetString());

            var sweeps = new[] { await StartAsync(adminA, "sweep"), await StartAsync(adminB, "sweep"), await StartAsync(adminA, "sweep"), await StartAsync(adminB, "sweep") };
            var runs = new List<JsonElement>();
            foreach (var sweep in sweeps)
            {
                Assert.Equal("succeeded", (await JobApi.WaitForEndAsync(adminA, sweep)).GetProperty("state").GetString());
                runs.Add((await adminA.GetFromJsonAsync<JsonElement>($"/api/retention/runs?jobRunId={sweep}"))[0]);
            }

            Assert.Equal(oids.Count, runs.Sum(r => r.GetProperty("swept").GetInt64()));
            var intervals = runs.Select(r => (Start: r.GetProperty("startedAt").GetDateTimeOffset(), End: r.GetProperty("finishedAt").GetDateTimeOffset())).OrderBy(r => r.Start).ToList();
            for (var i = 1; i < intervals.Count; i++)
            {
                Assert.True(intervals[i].Start >= intervals[i - 1].End, $"sweeps overlapped: {string.Join(", ", intervals)}");
            }
            var stored = Directory.Exists(Path.Combine(shared, "objects"))
                ? Directory.GetFiles(Path.Combine(shared, "objects"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList()
                : [];
            Assert.DoesNotContain(stored, name => oids.Contains(name!));
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }

    private StorageServerFactory CreateNode(string instanceId, string dataDir) =>
        new(new Dictionary<string, string?>(database.ServerSettings)
        {
            ["StorageServer:DataDir"] = dataDir,
            ["StorageServer:NodeId"] = instanceId,
            ["Jobs:InstanceId"] = instanceId,
            ["Jobs:ClusterCheckinInterval"] = "00:00:01",
            ["Jobs:PollInterval"] = "00:00:01",
            // Reclaim orphans at once and sweep with no restore window, so the test needs no clock.
            ["Retention:DefaultOrphanGrace"] = "00:00:00",
            ["Retention:TrashWindow"] = "00:00:00",
        }, services => services.Replace(ServiceDescriptor.Singleton(TimeProvider.System)));

    private static async Task<long> StartAsync(HttpClient admin, string kind)
    {
        using var response = await admin.PostAsJsonAsync("/api/retention/runs", new { kind });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobRunId").GetInt64();
    }
}
