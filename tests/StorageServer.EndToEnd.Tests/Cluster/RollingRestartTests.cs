using System.Net;
using StorageServer.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// A rolling restart of a two-node cluster behind the shipped nginx site, as an operator does it
/// (SIGTERM node 1, start it, wait until it is ready, then node 2), under a steady stream of
/// clones (git + git-lfs: info/refs, upload-pack, batch, object GETs) and batch calls, loses no
/// request: the draining node keeps serving while nginx stops holding connections to it, then
/// refuses new connections, which nginx sends to the other node.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Repo = "team/data";

    private readonly GitSandbox _git = new();
    private ClusterFixture _cluster = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _cluster = await ClusterFixture.StartAsync(nodes: 2);
        await _cluster.CreateRepoAsync(Repo);
        _token = await _cluster.CreateTokenAsync("alice", Repo);
        _git.StoreCredentials(_cluster.BaseUrl, _token, "alice");
    }

    public async Task DisposeAsync()
    {
        _git.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Restarting_both_nodes_one_after_the_other_fails_no_clone_and_no_batch_call()
    {
        var work = _git.PathOf("work");
        _git.Run(_git.Root, "clone", $"{_cluster.BaseUrl}/{Repo}.git", work);
        _git.Run(work, "lfs", "track", "*.bin");
        var hash = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, "model.bin"), 256 * 1024, 1));
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "model");
        _git.Run(work, "push", "origin", "main");

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var counts = new int[2];
        var clones = Enumerable.Range(0, 2).Select(i => Task.Run(() => CloneLoop(i, hash, counts, failures, stop.Token))).ToList();
        var batches = Enumerable.Range(0, 2).Select(_ => Task.Run(() => BatchLoopAsync(counts, failures, stop.Token))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2)); // traffic on both nodes before the first goes down
        foreach (var node in _cluster.Nodes)
        {
            await node.StopGracefullyAsync(TimeSpan.FromMinutes(2));
            await node.StartAsync(); // same port; returns once the node is ready
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(clones.Concat(batches));

        output.WriteLine($"{counts[0]} clones, {counts[1]} batch calls, {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.True(counts[0] >= 4 && counts[1] >= 20, $"too little traffic to mean anything: {counts[0]} clones, {counts[1]} batch calls");
        Assert.All(_cluster.Nodes, n => Assert.Contains("Draining for", n.Log, StringComparison.Ordinal));
    }

    private void CloneLoop(int worker, string hash, int[] counts, List<string> failures, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var clone = _git.PathOf($"clone-{worker}-{i}");
            var run = _git.TryRun(_git.Root, "clone", "--quiet", $"{_cluster.BaseUrl}/{Repo}.git", clone);
            lock (failures)
            {
                counts[0]++;
                if (!run.Succeeded || TestFiles.Sha256(Path.Combine(clone, "model.bin")) != hash)
                {
                    failures.Add($"clone {worker}-{i}: exit {run.ExitCode}: {run.Error.Trim()}");
                }
            }
            Directory.Delete(clone, recursive: true);
        }
    }

    private async Task BatchLoopAsync(int[] counts, List<string> failures, CancellationToken stop)
    {
        using var client = ClusterApi.Client(_cluster.BaseUrl, _token);
        var oid = new string('0', 64);
        while (!stop.IsCancellationRequested)
        {
            string? failure;
            try
            {
                using var response = await client.BatchAsync(Repo, "download", oid, 1);
                failure = response.StatusCode == HttpStatusCode.OK ? null : $"batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
            }
            catch (HttpRequestException e)
            {
                failure = "batch: " + e.Message;
            }
            lock (failures)
            {
                counts[1]++;
                if (failure is not null)
                {
                    failures.Add(failure);
                }
            }
        }
    }
}
