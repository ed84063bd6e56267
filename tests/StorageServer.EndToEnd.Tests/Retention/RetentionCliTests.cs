using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Retention;

/// <summary><c>storageserver-admin retention …</c> as a process against the real server.</summary>
public sealed class RetentionCliTests
{
    [Fact]
    public async Task Policies_runs_reports_trash_and_usage_work_from_the_command_line()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/data");

        var policy = await Ok(server, "retention", "policies", "create", "--name", "data 30 days", "--repo", "team/data", "--keep-days", "30");
        var id = policy.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(30, policy.GetProperty("keepDaysAfterDereference").GetInt32());
        var updated = await Ok(server, "retention", "policies", "update", id, "--name", "data 7 days", "--repo", "team/data", "--keep-days", "7", "--keep-last", "2");
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Single((await Ok(server, "retention", "policies", "list")).EnumerateArray());

        // Bad input: a clear message, nothing stored.
        var bad = await AdminCli.RunAsync(server, "retention", "policies", "create", "--name", "x", "--max-age-days", "5");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("maxAgeDays needs a pathGlob", bad.Error, StringComparison.Ordinal);
        var badGlob = await AdminCli.RunAsync(server, "retention", "policies", "create", "--name", "x", "--protect", "main");
        Assert.Equal(1, badGlob.ExitCode);
        Assert.Contains("protectedRefs 'main': a ref glob starts with refs/", badGlob.Error, StringComparison.Ordinal);
        Assert.Single((await Ok(server, "retention", "policies", "list")).EnumerateArray());

        // The policy change is audited with before and after.
        using var admin = server.CreateClient(ServerProcess.AdminToken);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit");
        var change = audit.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "retention.policy.update");
        var details = change.GetProperty("details").ValueKind == JsonValueKind.String
            ? JsonDocument.Parse(change.GetProperty("details").GetString()!).RootElement
            : change.GetProperty("details");
        Assert.Equal(30, details.GetProperty("before").GetProperty("KeepDaysAfterDereference").GetInt32());
        Assert.Equal(7, details.GetProperty("after").GetProperty("KeepDaysAfterDereference").GetInt32());

        var started = await Ok(server, "retention", "run", "--dry-run", "--repo", "team/data");
        var jobRunId = started.GetProperty("jobRunId").GetInt64().ToString(CultureInfo.InvariantCulture);
        await WaitForJobAsync(server, jobRunId);
        var run = (await Ok(server, "retention", "runs")).EnumerateArray().First();
        Assert.True(run.GetProperty("dryRun").GetBoolean());
        Assert.Equal("completed", run.GetProperty("state").GetString());
        var runId = run.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var csv = await AdminCli.RunAsync(server, "retention", "report", runId, "--csv");
        Assert.Equal(0, csv.ExitCode);
        Assert.StartsWith("oid,size,repository,path,last_ref,policy,reason,action", csv.Output, StringComparison.Ordinal);
        Assert.Empty((await Ok(server, "retention", "report", runId)).GetProperty("items").EnumerateArray());
        Assert.Empty((await Ok(server, "retention", "trash")).EnumerateArray());
        var usage = await Ok(server, "retention", "usage");
        Assert.Equal("team/data", usage.GetProperty("repositories")[0].GetProperty("repository").GetString());

        var missing = await AdminCli.RunAsync(server, "retention", "restore", "999");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Trash entry 999 not found", missing.Error, StringComparison.Ordinal);
    }

    private static async Task WaitForJobAsync(ServerProcess server, string jobRunId)
    {
        for (var i = 0; i < 100; i++)
        {
            var job = await Ok(server, "jobs", "show", jobRunId);
            var state = job.GetProperty("state").GetString();
            if (state == "succeeded")
            {
                return;
            }
            Assert.True(state is "queued" or "running", job.ToString());
            await Task.Delay(200);
        }
        Assert.Fail($"job run {jobRunId} did not end");
    }

    private static async Task<JsonElement> Ok(ServerProcess server, params string[] arguments)
    {
        var result = await AdminCli.RunAsync(server, [.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, $"storageserver-admin {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }
}
