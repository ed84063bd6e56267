using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Retention;

/// <summary>
/// Retention against the real server process with the real git-lfs client. Time moves through the
/// server's test clock (an offset file named by STORAGESERVER_TEST_CLOCK_OFFSET_FILE).
/// </summary>
public sealed class RetentionEndToEndTests : IAsyncLifetime
{
    private const string Repo = "team/models";
    private readonly ServerTestClock _clock = new();
    private ServerProcess _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(_clock.Environment);
        _admin = _server.CreateClient(ServerProcess.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        _clock.Dispose();
    }

    [Fact]
    public async Task A_version_pushed_over_with_git_lfs_is_kept_N_days_then_trashed_restorable_and_reclaimed()
    {
        Assert.Contains("TEST CLOCK IN USE", _server.Log, StringComparison.Ordinal);
        await _server.CreateRepoAsync(Repo);
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        using (var policy = await _admin.PostAsJsonAsync("/api/retention/policies", new { name = "models 30 days", repository = Repo, keepDaysAfterDereference = 30 }))
        {
            Assert.Equal(HttpStatusCode.Created, policy.StatusCode);
        }
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{_server.Port}/{Repo}.git", "w");
        var w = git.PathOf("w");
        git.Run(w, "lfs", "track", "*.bin");
        var v1 = TestFiles.Sha256(TestFiles.Write(Path.Combine(w, "model.bin"), 300_000, seed: 1));
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "v1");
        git.Run(w, "push", "origin", "main");
        var v2 = TestFiles.Sha256(TestFiles.Write(Path.Combine(w, "model.bin"), 200_000, seed: 2));
        git.Run(w, "commit", "-am", "v2");
        git.Run(w, "push", "origin", "main");

        await AdvanceAsync(TimeSpan.FromDays(29));
        Assert.Equal(0, (await RunAsync("mark")).GetProperty("trashed").GetInt64());
        await AdvanceAsync(TimeSpan.FromDays(2));
        var mark = await RunAsync("mark");
        Assert.Equal(1, mark.GetProperty("trashed").GetInt64());
        Assert.Equal(300_000, mark.GetProperty("trashedBytes").GetInt64());
        Assert.Equal(404, await DownloadStatusAsync(token, v1, 300_000));
        Assert.Equal(200, await DownloadStatusAsync(token, v2, 200_000));

        var csv = await _admin.GetStringAsync($"/api/retention/runs/{mark.GetProperty("id").GetInt64()}/report.csv");
        Assert.Contains($"{v1},300000,{Repo},model.bin,refs/heads/main,", csv, StringComparison.Ordinal);

        var entry = (await _admin.GetFromJsonAsync<JsonElement>($"/api/retention/trash?oid={v1}"))[0];
        using (var restore = await _admin.PostAsync($"/api/retention/trash/{entry.GetProperty("id").GetInt64()}/restore", null))
        {
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }
        // The restored bytes are the ones pushed: git-lfs checks out the old commit and verifies the hash.
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{_server.Port}/{Repo}.git", "restored");
        git.Run(git.PathOf("restored"), "checkout", "HEAD~1");
        Assert.Equal(v1, TestFiles.Sha256(git.PathOf("restored", "model.bin")));

        Assert.Equal(1, (await RunAsync("mark")).GetProperty("trashed").GetInt64());
        // A branch pushed at the old commit: the real post-receive hook revives the trashed claim.
        git.Run(w, "push", "origin", "HEAD~1:refs/heads/old");
        Assert.Equal(200, await DownloadStatusAsync(token, v1, 300_000));
        git.Run(w, "push", "origin", "--delete", "old");
        await AdvanceAsync(TimeSpan.FromDays(29));
        Assert.Equal(0, (await RunAsync("mark")).GetProperty("trashed").GetInt64());
        await AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(1, (await RunAsync("mark")).GetProperty("trashed").GetInt64());
        var storedBefore = StoredObjects();
        await AdvanceAsync(TimeSpan.FromDays(8));
        var sweep = await RunAsync("sweep");

        Assert.Equal(1, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(storedBefore.Count - 1, StoredObjects().Count);
        Assert.DoesNotContain(v1, StoredObjects());
        Assert.Contains(v2, StoredObjects());
        Assert.Equal(410, await DownloadStatusAsync(token, v1, 300_000));
        // The current version still clones and smudges.
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{_server.Port}/{Repo}.git", "after");
        Assert.Equal(v2, TestFiles.Sha256(git.PathOf("after", "model.bin")));
    }

    private Task AdvanceAsync(TimeSpan by) => _clock.AdvanceAsync(by);

    private Task<JsonElement> RunAsync(string kind) => RetentionRuns.RunAsync(_admin, kind, () => _server.Log);

    private async Task<int> DownloadStatusAsync(string token, string oid, long size)
    {
        using var client = _server.CreateClient(token);
        var body = JsonSerializer.Serialize(new { operation = "download", transfers = new[] { "basic" }, objects = new[] { new { oid, size } } });
        using var content = new StringContent(body, Encoding.UTF8, "application/vnd.git-lfs+json");
        using var response = await client.PostAsync($"/{Repo}.git/info/lfs/objects/batch", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("objects")[0];
        return entry.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 200;
    }

    private List<string> StoredObjects() => RetentionRuns.StoredObjects(_server.DataDir);
}
