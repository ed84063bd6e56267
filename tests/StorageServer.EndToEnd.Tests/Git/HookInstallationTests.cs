using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Git;

public sealed class HookInstallationTests
{
    [Fact]
    public async Task A_restart_rewrites_the_hooks_and_re_points_existing_repositories()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/hooks");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/hooks"] = "write" });
        var bare = Path.Combine(server.DataDir, "repos", "team", "hooks.git");
        var hooksDir = Path.Combine(server.DataDir, "git-hooks");
        using var git = new GitSandbox();
        Assert.Equal(hooksDir, git.Run(bare, "config", "core.hooksPath").Output.Trim());

        git.Run(bare, "config", "--unset", "core.hooksPath");
        File.Delete(Path.Combine(hooksDir, "pre-receive"));
        await server.RestartAsync();

        Assert.True(File.Exists(Path.Combine(hooksDir, "pre-receive")));
        var deadline = DateTimeOffset.Now.AddSeconds(20);
        while (git.TryRun(bare, "config", "core.hooksPath").Output.Trim() != hooksDir && DateTimeOffset.Now < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal(hooksDir, git.Run(bare, "config", "core.hooksPath").Output.Trim());

        // The hooks reach the restarted process (with its new secret): a bad push is still refused.
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{server.Port}/team/hooks.git", "w");
        var w = git.PathOf("w");
        File.WriteAllText(Path.Combine(w, "x.bin"), $"version https://git-lfs.github.com/spec/v1\noid sha256:{new string('c', 64)}\nsize 1\n");
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "x");
        var push = git.TryRun(w, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains(new string('c', 64), push.Error, StringComparison.Ordinal);
    }
}
