using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data.Migrations.Quartz;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Jobs;

/// <summary>Background jobs through <c>/api/jobs</c>, on the real Quartz job store of every database provider.</summary>
public abstract class JobsApiTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private StorageServerFactory CreateServer(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(database.ServerSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new StorageServerFactory(all, TestJobs.Register);
    }

    [Fact]
    public async Task Migration_creates_quartz_tables()
    {
        await using var db = await database.CreateMigratedContextAsync();
        foreach (var table in QuartzTableNames.DropOrder)
        {
            // Throws when the table is missing. Table names cannot be parameters; these are constants.
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"SELECT COUNT(*) FROM {QuartzSchemaScript.TablePrefix}{table}");
#pragma warning restore EF1002
        }
    }

    [Fact]
    public async Task A_job_that_throws_ends_failed_with_its_message()
    {
        using var server = CreateServer();
        using var admin = server.CreateAdminClient();

        var run = await JobApi.WaitForEndAsync(admin, await JobApi.RunAsync(admin, TestJobs.Failing));

        Assert.Equal("failed", run.GetProperty("state").GetString());
        Assert.Equal(FailingJob.Message, run.GetProperty("error").GetString());
        Assert.Equal(1, run.GetProperty("progress").GetProperty("done").GetInt64());
        Assert.Equal("half way", run.GetProperty("progress").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_running_job_is_cancelled_through_the_api_and_audited()
    {
        using var server = CreateServer();
        using var admin = server.CreateAdminClient();
        var runId = await JobApi.RunAsync(admin, TestJobs.Blocking);
        await JobApi.WaitForAsync(admin, runId, "running");

        using (var cancel = await admin.PostAsync($"/api/jobs/runs/{runId}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        var run = await JobApi.WaitForEndAsync(admin, runId);

        Assert.Equal("cancelled", run.GetProperty("state").GetString());
        Assert.Equal("Cancelled by an admin.", run.GetProperty("error").GetString());
        using (var again = await admin.PostAsync($"/api/jobs/runs/{runId}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit");
        var entry = audit.EnumerateArray().Single(e => e.GetProperty("target").GetString() == $"job-run:{runId}");
        Assert.Equal("job.cancel", entry.GetProperty("action").GetString());
        Assert.Equal("admin", entry.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Stopping_the_node_interrupts_a_running_job_and_records_it()
    {
        long runId;
        using (var server = CreateServer())
        {
            using var admin = server.CreateAdminClient();
            runId = await JobApi.RunAsync(admin, TestJobs.Blocking);
            await JobApi.WaitForAsync(admin, runId, "running");
        }

        await using var db = database.CreateContext();
        var run = await db.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(StorageServer.Data.Entities.JobRunState.Cancelled, run.State);
        Assert.Contains("shut down", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_left_running_by_a_crashed_node_is_marked_failed_at_the_next_start()
    {
        long runId;
        await using (var db = await database.CreateMigratedContextAsync())
        {
            // What a node killed mid-run leaves: a running row whose firing Quartz no longer has.
            var run = new StorageServer.Data.Entities.JobRun
            {
                Job = TestJobs.Blocking,
                State = StorageServer.Data.Entities.JobRunState.Running,
                Node = "crashed-node",
                FireInstanceId = "gone",
                QueuedAt = DateTimeOffset.UnixEpoch,
                StartedAt = DateTimeOffset.UnixEpoch,
            };
            db.JobRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }

        using var server = CreateServer();
        using var admin = server.CreateAdminClient();
        var lost = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs/runs/{runId}");

        Assert.Equal("failed", lost.GetProperty("state").GetString());
        Assert.Contains("crashed-node", lost.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_running_past_its_maximum_duration_ends_timed_out()
    {
        using var server = CreateServer(new Dictionary<string, string?> { [$"Jobs:MaxRunDurations:{TestJobs.Blocking}"] = "00:00:01" });
        using var admin = server.CreateAdminClient();

        var run = await JobApi.WaitForEndAsync(admin, await JobApi.RunAsync(admin, TestJobs.Blocking));

        Assert.Equal("timed_out", run.GetProperty("state").GetString());
        Assert.Contains("maximum run duration", run.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_list_shows_schedules_and_runs_can_be_filtered()
    {
        using var server = CreateServer(new Dictionary<string, string?> { ["Jobs:Schedules:RescanAll"] = "0 0 3 * * ?" });
        using var admin = server.CreateAdminClient();

        var jobs = (await admin.GetFromJsonAsync<JsonElement>("/api/jobs")).EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!);
        Assert.Equal("0 0 3 * * ?", jobs["RescanAll"].GetProperty("schedule").GetString());
        Assert.Equal(3, jobs["RescanAll"].GetProperty("nextFireTime").GetDateTimeOffset().UtcDateTime.Hour);
        Assert.Equal(JsonValueKind.Null, jobs["RescanRepository"].GetProperty("schedule").ValueKind);
        Assert.Equal(JsonValueKind.Null, jobs["RescanRepository"].GetProperty("nextFireTime").ValueKind);

        var failed = await JobApi.RunAsync(admin, TestJobs.Failing);
        await JobApi.WaitForEndAsync(admin, failed);
        var succeeded = await JobApi.RunAsync(admin, "RescanAll");
        await JobApi.WaitForEndAsync(admin, succeeded);

        // The class's tests share one database, so other runs may be listed too.
        var onlyFailed = (await admin.GetFromJsonAsync<JsonElement>("/api/jobs/runs?state=failed")).EnumerateArray().ToList();
        Assert.Contains(failed, onlyFailed.Select(r => r.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(succeeded, onlyFailed.Select(r => r.GetProperty("id").GetInt64()));
        Assert.All(onlyFailed, r => Assert.Equal("failed", r.GetProperty("state").GetString()));
        var byJob = await admin.GetFromJsonAsync<JsonElement>("/api/jobs/runs?job=RescanAll&limit=1");
        Assert.Equal([succeeded], byJob.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        using (var badState = await admin.GetAsync("/api/jobs/runs?state=exploded"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        }
        using (var unknown = await admin.PostAsync("/api/jobs/NoSuchJob/run", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (var notAnObject = await admin.PostAsJsonAsync("/api/jobs/RescanAll/run", new[] { 1, 2 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notAnObject.StatusCode);
        }
    }

    [Fact]
    public async Task A_node_with_jobs_disabled_queues_runs_without_running_them()
    {
        using var server = CreateServer(new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var admin = server.CreateAdminClient();
        var runId = await JobApi.RunAsync(admin, TestJobs.Failing);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var queued = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs/runs/{runId}");
        Assert.Equal("queued", queued.GetProperty("state").GetString());

        using (var cancel = await admin.PostAsync($"/api/jobs/runs/{runId}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
            Assert.Equal(server.Clock.GetUtcNow(), cancelled.GetProperty("finishedAt").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task Jobs_api_needs_an_admin()
    {
        using var server = CreateServer();
        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "admin" });
        using var anonymous = server.CreateClient();
        using var alice = server.CreateBasicClient(token);

        foreach (var (client, expected) in new[] { (anonymous, HttpStatusCode.Unauthorized), (alice, HttpStatusCode.Forbidden) })
        {
            using var list = await client.GetAsync("/api/jobs");
            Assert.Equal(expected, list.StatusCode);
            using var run = await client.PostAsync("/api/jobs/RescanAll/run", null);
            Assert.Equal(expected, run.StatusCode);
            using var cancel = await client.PostAsync("/api/jobs/runs/1/cancel", null);
            Assert.Equal(expected, cancel.StatusCode);
        }
        using var admin = server.CreateAdminClient();
        using var allowed = await admin.GetAsync("/api/jobs/runs");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}

public sealed class SqliteJobsApiTests(SqliteTestDatabase database) : JobsApiTests<SqliteTestDatabase>(database);

public sealed class PostgresJobsApiTests(PostgresTestDatabase database) : JobsApiTests<PostgresTestDatabase>(database);
