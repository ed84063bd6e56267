using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StorageServer.Jobs;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Jobs;

/// <summary>
/// Two nodes (two in-process servers, each with its own Quartz scheduler) on one PostgreSQL
/// database: the clustered job store must hand every firing to exactly one of them. This is the
/// guarantee retention sweeps rely on. SQLite is one node by construction (Quartz refuses to
/// cluster on it), so this runs on PostgreSQL only.
/// </summary>
public sealed class ClusteredJobsTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private const string Manual = "ClusterCounting";
    private const string Cron = "ClusterCron";

    private StorageServerFactory CreateNode(string instanceId, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(database.ServerSettings)
        {
            ["Jobs:InstanceId"] = instanceId,
            // One job at a time per node: while one node is busy, the other must take the next firing.
            ["Jobs:MaxConcurrency"] = "1",
            // A cancel sent through another node lands at the running node's next check-in.
            ["Jobs:ClusterCheckinInterval"] = "00:00:01",
            // Runs queued through one node are found by the other within this.
            ["Jobs:PollInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new StorageServerFactory(all, services =>
        {
            // Quartz runs on the container's TimeProvider; the factory's manual clock stands still,
            // and a cron schedule on a clock that stands still never comes round again.
            services.Replace(ServiceDescriptor.Singleton(TimeProvider.System));
            services.AddStorageJob<CountingJob>(Manual, "Counts its executions.");
            services.AddStorageJob<CountingJob>(Cron, "Counts its executions, every second.");
            TestJobs.Register(services);
        });
    }

    [Fact]
    public async Task Manually_triggered_runs_execute_exactly_once_across_two_nodes()
    {
        using var nodeA = CreateNode("node-a");
        using var nodeB = CreateNode("node-b");
        using var adminA = nodeA.CreateAdminClient();
        using var adminB = nodeB.CreateAdminClient();

        var runs = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            runs.Add(await JobApi.RunAsync(i % 2 == 0 ? adminA : adminB, Manual));
        }
        var ended = new List<JsonElement>();
        foreach (var run in runs)
        {
            ended.Add(await JobApi.WaitForEndAsync(adminA, run));
        }

        Assert.All(ended, r => Assert.Equal("succeeded", r.GetProperty("state").GetString()));
        Assert.All(runs, run => Assert.Equal(1, CountingJob.ByRun.GetValueOrDefault(run)));
        Assert.Equal(["node-a", "node-b"], ended.Select(r => r.GetProperty("node").GetString()).Distinct().Order());
        var history = await adminB.GetFromJsonAsync<JsonElement>($"/api/jobs/runs?job={Manual}");
        Assert.Equal(runs.Count, history.GetArrayLength());
    }

    [Fact]
    public async Task A_schedule_on_two_nodes_fires_once_per_fire_time()
    {
        var everySecond = new Dictionary<string, string?> { [$"Jobs:Schedules:{Cron}"] = "* * * * * ?" };
        using (var nodeA = CreateNode("node-a", everySecond))
        using (var nodeB = CreateNode("node-b", everySecond))
        {
            using var adminA = nodeA.CreateAdminClient();
            using var adminB = nodeB.CreateAdminClient();
            await Task.Delay(TimeSpan.FromSeconds(4));
        }

        var fires = CountingJob.ByFireTime.Where(f => f.Key.StartsWith(Cron + "@", StringComparison.Ordinal)).ToList();
        Assert.True(fires.Count >= 2, $"expected several fires, got {string.Join(", ", fires)}");
        Assert.All(fires, f => Assert.Equal(1, f.Value));
        await using var db = database.CreateContext();
        Assert.Equal(fires.Count, db.JobRuns.Count(r => r.Job == Cron));
    }

    [Fact]
    public async Task A_run_on_one_node_is_cancelled_through_another()
    {
        // Node A runs no jobs, so the run can only be on node B.
        using var nodeA = CreateNode("node-a", new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var nodeB = CreateNode("node-b");
        using var adminA = nodeA.CreateAdminClient();
        using var adminB = nodeB.CreateAdminClient();
        var runId = await JobApi.RunAsync(adminA, TestJobs.Blocking);
        var running = await JobApi.WaitForAsync(adminA, runId, "running");
        Assert.Equal("node-b", running.GetProperty("node").GetString());

        using (var cancel = await adminA.PostAsync($"/api/jobs/runs/{runId}/cancel", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, cancel.StatusCode);
        }
        var run = await JobApi.WaitForEndAsync(adminA, runId);

        Assert.Equal("cancelled", run.GetProperty("state").GetString());
    }
}
