using System.Diagnostics;
using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// Two nodes behind nginx on one PostgreSQL, one s3rver bucket and one shared repositories
/// directory, used by the real git and git-lfs clients through nginx only.
/// </summary>
public sealed class ClusterGitLfsTests : IAsyncLifetime
{
    private const string Repo = "team/data";

    private readonly GitSandbox _git = new();
    private ClusterFixture _cluster = null!;

    public async Task InitializeAsync()
    {
        // Debug request lines say when a request starts: the test kills the node an upload is running on.
        _cluster = await ClusterFixture.StartAsync(nodes: 2, new Dictionary<string, string> { ["Logging__LogLevel__StorageServer.Requests"] = "Debug" });
        await _cluster.CreateRepoAsync(Repo);
        _git.StoreCredentials(_cluster.BaseUrl, await _cluster.CreateTokenAsync("alice", Repo), "alice");
    }

    public async Task DisposeAsync()
    {
        _git.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public void Push_and_clone_through_nginx_are_served_by_both_nodes()
    {
        var work = CloneAndTrack("work");
        var hashes = Enumerable.Range(1, 6).ToDictionary(i => $"file{i}.bin", i => TestFiles.Sha256(TestFiles.Write(Path.Combine(work, $"file{i}.bin"), 2 * 1024 * 1024, i)));
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "six objects");
        _git.Run(work, "push", "origin", "main");

        var clone = _git.PathOf("clone");
        _git.Run(_git.Root, "clone", $"{_cluster.BaseUrl}/{Repo}.git", clone);
        foreach (var (name, hash) in hashes)
        {
            Assert.Equal(hash, TestFiles.Sha256(Path.Combine(clone, name)));
        }
        _git.Run(clone, "lfs", "fsck");
        // nginx round-robins requests, so each node took part in the push or the clone.
        foreach (var node in _cluster.Nodes)
        {
            Assert.Matches(@"(PUT|GET) /team/data\.git/info/lfs/objects/", node.Log);
        }
    }

    [Fact]
    public async Task A_node_killed_during_a_large_upload_loses_nothing_the_client_retries_through_the_other()
    {
        var work = CloneAndTrack("work");
        var file = TestFiles.Write(Path.Combine(work, "big.bin"), 192L * 1024 * 1024, 3);
        var hash = TestFiles.Sha256(file);
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "big");

        var push = Task.Run(() => _git.TryRun(work, "push", "origin", "main"));
        var uploading = new Regex($@"PUT /team/data\.git/info/lfs/objects/{hash} started");
        var victim = await WaitForAsync(() => _cluster.Nodes.FirstOrDefault(n => uploading.IsMatch(n.Log)), TimeSpan.FromSeconds(60));
        await Task.Delay(300); // some bytes are in the store's multipart upload by now
        await victim.KillAsync();
        var survivor = _cluster.Nodes.Single(n => n != victim);

        var result = await push;
        Assert.True(result.ExitCode == 0, $"push failed after the node died:\n{result.Error}");
        Assert.False(victim.ProcessId is { } pid && Process.GetProcesses().Any(p => p.Id == pid && !p.HasExited), "the node was not killed");
        Assert.Matches(uploading, survivor.Log);

        var clone = _git.PathOf("clone");
        _git.Run(_git.Root, "clone", $"{_cluster.BaseUrl}/{Repo}.git", clone);
        Assert.Equal(hash, TestFiles.Sha256(Path.Combine(clone, "big.bin")));
        _git.Run(clone, "lfs", "fsck");
        _git.Run(Path.Combine(_cluster.ReposDir, Repo + ".git"), "fsck", "--full");
        // 0 = Live: the object is whole and visible, written once by the survivor.
        Assert.Equal("0", await _cluster.QueryAsync($"SELECT \"State\" FROM objects WHERE \"Oid\" = '{hash}'"));
    }

    private string CloneAndTrack(string name)
    {
        var work = _git.PathOf(name);
        _git.Run(_git.Root, "clone", $"{_cluster.BaseUrl}/{Repo}.git", work);
        _git.Run(work, "lfs", "track", "*.bin");
        return work;
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (probe() is { } value)
            {
                return value;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"condition not met within {timeout}");
    }
}
