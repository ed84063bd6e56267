using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Admin;

/// <summary><c>storageserver-admin</c> as a process against the real server.</summary>
public sealed class AdminCliTests
{
    [Fact]
    public async Task Repos_tokens_and_legal_holds_round_trip_through_the_command_line()
    {
        await using var server = await ServerProcess.StartAsync();

        var repo = await Ok(server, "repos", "create", "team/data");
        Assert.Equal("team/data", repo.GetProperty("name").GetString());
        var token = await Ok(server, "tokens", "create", "alice", "--scope", "team/data=write");
        Assert.StartsWith("ss_pat_", token.GetProperty("token").GetString(), StringComparison.Ordinal);

        // People get tables with readable dates and sizes; scripts pass --json (as Ok does).
        var table = await AdminCli.RunAsync(server, "tokens", "list");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.DoesNotContain("{", table.Output, StringComparison.Ordinal);
        Assert.Contains("alice", table.Output, StringComparison.Ordinal);
        Assert.Contains("team/data=write", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d UTC", table.Output);
        var usage = await AdminCli.RunAsync(server, "retention", "usage");
        Assert.Contains("0 B", usage.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("liveBytes\": 0", usage.Output, StringComparison.Ordinal);

        var hold = await Ok(server, "holds", "create", "--case", "CASE-9", "--repo", "team/data", "--path", "data/**", "--reason", "litigation");
        var id = hold.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("data/**", hold.GetProperty("path").GetString());
        Assert.Single((await Ok(server, "holds", "list")).EnumerateArray());
        var released = await Ok(server, "holds", "release", id, "--reason", "settled");
        Assert.False(released.GetProperty("active").GetBoolean());
        Assert.Empty((await Ok(server, "holds", "list")).EnumerateArray());

        var again = await AdminCli.RunAsync(server, "holds", "release", id, "--reason", "twice");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already released", again.Error, StringComparison.Ordinal);

        var audit = await Ok(server, "audit", "verify");
        Assert.True(audit.GetProperty("valid").GetBoolean());
        Assert.Equal(4, audit.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task Bad_input_and_bad_connections_fail_with_a_message_and_change_nothing()
    {
        await using var server = await ServerProcess.StartAsync();

        var badOid = await AdminCli.RunAsync(server, "holds", "create", "--case", "C", "--oid", "../../etc/passwd");
        Assert.Equal(1, badOid.ExitCode);
        Assert.Contains("oid must be 64 lowercase hex", badOid.Error, StringComparison.Ordinal);
        var missingCase = await AdminCli.RunAsync(server, "holds", "create", "--oid", new string('a', 64));
        Assert.NotEqual(0, missingCase.ExitCode);
        Assert.Contains("--case", missingCase.Error, StringComparison.Ordinal);

        var badParameter = await AdminCli.RunAsync(server, "jobs", "run", "RescanRepository", "--param", "repository");
        Assert.NotEqual(0, badParameter.ExitCode);
        Assert.Contains("--param 'repository' must be key=value", badParameter.Error, StringComparison.Ordinal);

        var wrongToken = await AdminCli.RunAsync(new Dictionary<string, string?> { ["STORAGESERVER_URL"] = server.BaseUrl, ["STORAGESERVER_ADMIN_TOKEN"] = "wrong" }, "holds", "list");
        Assert.Equal(1, wrongToken.ExitCode);
        Assert.Contains("401", wrongToken.Error, StringComparison.Ordinal);
        var noToken = await AdminCli.RunAsync(new Dictionary<string, string?> { ["STORAGESERVER_URL"] = server.BaseUrl, ["STORAGESERVER_ADMIN_TOKEN"] = null },
            "holds", "list", "--data-dir", Path.Combine(server.DataDir, "nowhere"));
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("No admin token", noToken.Error, StringComparison.Ordinal);
        var down = await AdminCli.RunAsync(new Dictionary<string, string?> { ["STORAGESERVER_URL"] = "http://127.0.0.1:9", ["STORAGESERVER_ADMIN_TOKEN"] = "x" }, "holds", "list");
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("Cannot reach", down.Error, StringComparison.Ordinal);

        Assert.Empty((await Ok(server, "holds", "list", "--state", "all")).EnumerateArray());
    }

    private static async Task<JsonElement> Ok(ServerProcess server, params string[] arguments)
    {
        var result = await AdminCli.RunAsync(server, [.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, $"storageserver-admin {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }
}
