using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// PostgreSQL or s3rver restarting under a running node: requests that need the missing
/// dependency get 503 with Retry-After in the LFS error format (429 on the batch endpoint, the only
/// status git-lfs 3.3 retries there; never a bare 500), liveness stays
/// green while readiness goes red, and everything works again once the dependency is back, with
/// the same server process.
/// </summary>
public sealed class DependencyRestartTests : IAsyncLifetime
{
    private const string Repo = "team/data";

    private ClusterFixture _cluster = null!;
    private ServerProcess _node = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _cluster = await ClusterFixture.StartAsync(nodes: 1);
        _node = _cluster.Nodes[0];
        await _cluster.CreateRepoAsync(Repo);
        _token = await _cluster.CreateTokenAsync("alice", Repo);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Batch_requests_while_postgres_restarts_get_429_with_retry_after_then_succeed_again()
    {
        var pid = _node.ProcessId;
        using var client = ClusterApi.Client(_node, _token);
        using var load = new CancellationTokenSource();
        var statuses = new List<HttpStatusCode>();
        var background = Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                using var response = await client.BatchAsync(Repo, "upload", new string('b', 64), 10);
                await AssertOkOrCleanOutageAsync(response);
                lock (statuses)
                {
                    statuses.Add(response.StatusCode);
                }
            }
        });

        await _cluster.Postgres.StopAsync();
        using (var down = await client.BatchAsync(Repo, "upload", new string('c', 64), 10))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, down.StatusCode);
            await AssertOkOrCleanOutageAsync(down);
            Assert.Contains("database", (await down.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        await AssertProbesAsync(live: HttpStatusCode.OK, ready: HttpStatusCode.ServiceUnavailable);

        await _cluster.Postgres.StartAgainAsync();
        await WaitUntilOkAsync(() => client.BatchAsync(Repo, "upload", new string('d', 64), 10));
        await AssertProbesAsync(live: HttpStatusCode.OK, ready: HttpStatusCode.OK);
        await load.CancelAsync();
        await background;

        Assert.Equal(pid, _node.ProcessId);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    [Fact]
    public async Task A_git_lfs_push_during_a_postgres_restart_waits_it_out_and_completes()
    {
        using var git = new GitSandbox();
        git.StoreCredentials(_node.BaseUrl, _token, "alice");
        var work = git.PathOf("work");
        git.Run(git.Root, "clone", $"{_node.BaseUrl}/{Repo}.git", work);
        git.Run(work, "lfs", "track", "*.bin");
        var hash = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, "model.bin"), 512 * 1024, 11));
        git.Run(work, "add", "-A");
        git.Run(work, "commit", "-m", "model");

        await _cluster.Postgres.StopAsync();
        var push = Task.Run(() => git.TryRun(work, "lfs", "push", "origin", "main"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(push.IsCompleted, "git lfs push gave up while the database was down");
        await _cluster.Postgres.StartAgainAsync();
        var result = await push.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, $"git lfs push failed across the restart:\n{result.Output}\n{result.Error}");
        git.Run(work, "push", "origin", "main");
        var clone = git.PathOf("clone");
        git.Run(git.Root, "clone", $"{_node.BaseUrl}/{Repo}.git", clone);
        Assert.Equal(hash, TestFiles.Sha256(Path.Combine(clone, "model.bin")));
        Assert.Contains("POST /team/data.git/info/lfs/objects/batch 429 ", _node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_while_s3rver_is_down_get_503_with_retry_after_then_succeed_again()
    {
        var file = TestFiles.Write(Path.Combine(Path.GetTempPath(), $"outage-{Guid.NewGuid():N}.bin"), 1024 * 1024, 5);
        try
        {
            var oid = TestFiles.Sha256(file);
            using var client = ClusterApi.Client(_node, _token);
            await _cluster.S3.StopAsync();

            using (var down = await PutAsync(client, oid, file))
            {
                Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, $"{down.StatusCode}: {await down.Content.ReadAsStringAsync()}\n{LastErrors()}");
                await AssertOkOrCleanOutageAsync(down);
                Assert.Contains("object store", (await down.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);
            }
            await AssertProbesAsync(live: HttpStatusCode.OK, ready: HttpStatusCode.ServiceUnavailable);

            await _cluster.S3.StartAgainAsync();
            await WaitUntilOkAsync(() => PutAsync(client, oid, file));
            await AssertProbesAsync(live: HttpStatusCode.OK, ready: HttpStatusCode.OK);
            var downloaded = await client.BatchAsync(Repo, "download", oid, 1024 * 1024);
            Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
            Assert.True((await downloaded.JsonAsync()).GetProperty("objects")[0].TryGetProperty("actions", out _), "object not downloadable after recovery");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Batch for upload, then PUT the bytes to the returned href; returns the PUT's response (or the batch's on failure).</summary>
    private async Task<HttpResponseMessage> PutAsync(HttpClient client, string oid, string file)
    {
        var batch = await client.BatchAsync(Repo, "upload", oid, new FileInfo(file).Length);
        if (batch.StatusCode != HttpStatusCode.OK)
        {
            return batch;
        }
        var entry = (await batch.JsonAsync()).GetProperty("objects")[0];
        if (!entry.TryGetProperty("actions", out var actions))
        {
            return batch; // already stored
        }
        var upload = actions.GetProperty("upload");
        using var request = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("href").GetString()) { Content = new StreamContent(File.OpenRead(file)) };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(upload.GetProperty("header").GetProperty("Authorization").GetString()!);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var plain = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        return await plain.SendAsync(request);
    }

    private string LastErrors() => string.Join('\n', _node.Log.Split('\n').Where(l => l.Contains(" fail: ", StringComparison.Ordinal)).TakeLast(3));

    private static async Task AssertOkOrCleanOutageAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync();
        var batch = response.RequestMessage?.RequestUri?.AbsolutePath.EndsWith("/info/lfs/objects/batch", StringComparison.Ordinal) == true;
        var expected = batch ? HttpStatusCode.TooManyRequests : HttpStatusCode.ServiceUnavailable;
        Assert.True(response.StatusCode == expected, $"expected 200 or {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/vnd.git-lfs+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{(int)response.StatusCode} without Retry-After");
        Assert.Contains("\"message\"", body, StringComparison.Ordinal);
    }

    private async Task AssertProbesAsync(HttpStatusCode live, HttpStatusCode ready)
    {
        using var probe = _node.CreateClient();
        using var liveness = await probe.GetAsync("/healthz/live");
        using var readiness = await probe.GetAsync("/healthz/ready");
        Assert.Equal(live, liveness.StatusCode);
        Assert.Equal(ready, readiness.StatusCode);
    }

    private static async Task WaitUntilOkAsync(Func<Task<HttpResponseMessage>> request)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await request();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            await AssertOkOrCleanOutageAsync(response);
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "did not recover within 60 s of the dependency's restart");
            await Task.Delay(500);
        }
    }
}
