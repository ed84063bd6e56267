using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>
/// git checks every object a push brings (receive.fsckObjects): a tree with an entry named
/// <c>..</c> is refused and changes nothing. Repositories keep the setting in their config, new
/// ones from creation, existing ones from the next start.
/// </summary>
public sealed class ReceivedObjectChecksTests : IDisposable
{
    private readonly GitSandbox _git = new();

    [Fact]
    public async Task A_push_with_a_malformed_tree_is_refused_and_every_repository_checks_received_objects()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        var remote = $"http://user:{token}@127.0.0.1:{server.Port}/team/data.git";
        var bare = Path.Combine(server.DataDir, "repos", "team", "data.git");
        Assert.Equal("true", _git.Run(bare, "config", "--get", "receive.fsckObjects").Output.Trim());

        var w = _git.PathOf("w");
        _git.Run(_git.Root, "init", w);
        _git.Run(w, "commit", "--allow-empty", "-m", "base");
        _git.Run(w, "push", remote, "HEAD:refs/heads/main");
        var blob = _git.TryRunWithInput(w, "hi\n", "hash-object", "-w", "--stdin").EnsureSuccess().Output.Trim();
        var tree = _git.TryRunWithInput(w, $"100644 blob {blob}\t..\n", "mktree").EnsureSuccess().Output.Trim();
        var evil = _git.Run(w, "commit-tree", tree, "-p", "HEAD", "-m", "dotdot").Output.Trim();

        var push = _git.TryRun(w, "push", remote, $"{evil}:refs/heads/main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("hasDotdot", push.Error, StringComparison.Ordinal);
        Assert.Equal(_git.Run(w, "rev-parse", "HEAD").Output.Trim(), _git.Run(w, "ls-remote", remote, "refs/heads/main").Output.Split('\t')[0]);
        Assert.False(_git.TryRun(bare, "cat-file", "-e", tree).Succeeded, "the malformed tree was stored");

        // A repository from before this setting existed gets it at the next start.
        _git.Run(bare, "config", "--unset", "receive.fsckObjects");
        await server.RestartAsync();
        for (var attempt = 0; attempt < 100 && !_git.TryRun(bare, "config", "--get", "receive.fsckObjects").Succeeded; attempt++)
        {
            await Task.Delay(100); // set in the background after start
        }
        Assert.Equal("true", _git.Run(bare, "config", "--get", "receive.fsckObjects").Output.Trim());
    }

    public void Dispose() => _git.Dispose();
}
