using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// Background jobs on two real server processes sharing one PostgreSQL job store: every firing,
/// queued through either node or by the schedule, runs exactly once: the pointer rescan and the
/// retention mark and sweep (erasure: <see cref="ClusterErasureTests"/>).
/// </summary>
public sealed class ClusterJobsTests
{
    private const string Job = "RescanAll";

    [Theory]
    [InlineData("RescanAll")]
    [InlineData("RetentionMark")]
    [InlineData("RetentionSweep")]
    public async Task Runs_queued_through_either_node_each_run_exactly_once(string job)
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 2);
        await cluster.CreateRepoAsync("team/data");
        var ids = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            using var admin = cluster.Nodes[i % 2].CreateClient(ServerProcess.AdminToken);
            using var queued = await admin.PostAsync($"/api/jobs/{job}/run", null);
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
            ids.Add((await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }
        using (var admin = cluster.Nodes[0].CreateClient(ServerProcess.AdminToken))
        {
            foreach (var id in ids)
            {
                Assert.Equal("succeeded", await WaitForEndAsync(admin, id));
            }
        }

        // One row per run, each with its own Quartz firing, each started once.
        Assert.Equal("8|8|8", await cluster.QueryAsync(
            $"SELECT count(*), count(DISTINCT \"FireInstanceId\"), count(\"StartedAt\") FROM job_runs WHERE \"Job\" = '{job}'"));
        if (job.StartsWith("Retention", StringComparison.Ordinal))
        {
            // A mark or sweep runs alone in the cluster: no two runs' intervals overlap.
            Assert.Equal("0", await cluster.QueryAsync(
                "SELECT count(*) FROM job_runs a JOIN job_runs b ON a.\"Id\" < b.\"Id\" AND a.\"Job\" = b.\"Job\" " +
                $"WHERE a.\"Job\" = '{job}' AND a.\"StartedAt\" < b.\"FinishedAt\" AND b.\"StartedAt\" < a.\"FinishedAt\""));
        }
    }

    [Fact]
    public async Task A_mark_report_is_served_by_every_node_whichever_ran_the_mark()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 2);
        await cluster.CreateRepoAsync("team/data");
        using var first = cluster.Nodes[0].CreateClient(ServerProcess.AdminToken);
        using var started = await first.PostAsJsonAsync("/api/retention/runs", new { kind = "mark", dryRun = true });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var jobRunId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobRunId").GetInt64();
        Assert.Equal("succeeded", await WaitForEndAsync(first, jobRunId));
        var runId = (await first.GetFromJsonAsync<JsonElement>($"/api/retention/runs?jobRunId={jobRunId}"))[0].GetProperty("id").GetInt64();

        foreach (var node in cluster.Nodes)
        {
            using var admin = node.CreateClient(ServerProcess.AdminToken);
            var json = await admin.GetFromJsonAsync<JsonElement>($"/api/retention/runs/{runId}/report.json");
            Assert.Equal(runId, json.GetProperty("run").GetProperty("id").GetInt64());
            var csv = await admin.GetStringAsync($"/api/retention/runs/{runId}/report.csv");
            Assert.StartsWith("oid,size,repository,path,last_ref,policy,reason,action\r\n", csv, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_schedule_fires_once_per_tick_across_the_cluster()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 2,
            new Dictionary<string, string> { [$"Jobs__Schedules__{Job}"] = "0/2 * * * * ?", ["Jobs__PollInterval"] = "00:00:01" });
        await Task.Delay(TimeSpan.FromSeconds(12));

        // Each row: the tick it belongs to, and whether it started. A run may fire late (a loaded
        // machine, a node still starting) but belongs to its tick, and no tick has two runs.
        var runs = (await cluster.QueryAsync(
                $"SELECT extract(epoch from \"ScheduledFor\"), \"StartedAt\" IS NOT NULL FROM job_runs WHERE \"Job\" = '{Job}' AND \"Trigger\" = 1 ORDER BY \"ScheduledFor\""))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(row => row.Split('|'))
            .Select(cells => (Tick: cells[0] == "" ? double.NaN : double.Parse(cells[0], CultureInfo.InvariantCulture), Started: cells[1] == "t"))
            .ToList();
        Assert.True(runs.Count >= 3, $"only {runs.Count} scheduled runs in 12 s");
        Assert.All(runs, run => Assert.True(run.Started, "a scheduled run never started"));
        var ticks = runs.Select(r => r.Tick).ToList();
        Assert.All(ticks, tick => Assert.Equal(0, tick % 2));
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
    }

    private static async Task<string> WaitForEndAsync(HttpClient admin, long id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var state = (await admin.GetFromJsonAsync<JsonElement>($"/api/jobs/runs/{id}", timeout.Token)).GetProperty("state").GetString()!;
            if (state is "succeeded" or "failed" or "cancelled" or "timed_out")
            {
                return state;
            }
            await Task.Delay(200, timeout.Token);
        }
    }
}
