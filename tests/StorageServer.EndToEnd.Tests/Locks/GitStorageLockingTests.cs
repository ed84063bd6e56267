using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;
using static StorageServer.EndToEnd.Tests.Locks.LockingScenario;

namespace StorageServer.EndToEnd.Tests.Locks;

/// <summary>
/// git storage's lock, unlock and locks, and its pre-push lock check, against the real server,
/// next to git-lfs users of the same repository: the same locks, the same refusals.
/// </summary>
public sealed class GitStorageLockingTests
{
    [Fact]
    public async Task Locks_taken_and_released_with_git_storage_are_the_locks_git_lfs_sees_and_pre_push_enforces_them()
    {
        await using var scenario = await StartAsync();
        using var erin = new GitSandbox(LfsClient.GitStorage);
        erin.StoreCredentials(scenario.Server.BaseUrl, await scenario.Server.CreateTokenAsync("erin", new Dictionary<string, string> { ["team/data"] = "write" }));
        var erinRepo = erin.PathOf("data");
        erin.Run(erin.Root, "clone", "-q", scenario.RemoteUrl, erinRepo);
        var bobRepo = scenario.Clone(scenario.Bob);

        Assert.Equal(0, RunGit(scenario.Alice, scenario.AliceRepo, "lfs", "lock", "file.psd").ExitCode);
        var taken = erin.TryRun(erinRepo, "storage", "lock", "file.psd");
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("Locking file.psd failed: already locked by alice", taken.Error, StringComparison.Ordinal);

        Assert.Equal("Locked README.txt\n", erin.Run(erinRepo, "storage", "lock", "README.txt").Output);
        Assert.Matches(@"(?m)^README\.txt\s+erin\s+ID:\S+\s*$", RunGit(scenario.Bob, bobRepo, "lfs", "locks").Output);
        var bobTakes = RunGit(scenario.Bob, bobRepo, "lfs", "lock", "README.txt");
        Assert.NotEqual(0, bobTakes.ExitCode);
        Assert.Contains("already locked by erin", bobTakes.Output + bobTakes.Error, StringComparison.Ordinal);

        var verified = erin.Run(erinRepo, "storage", "locks", "--verify").Output;
        Assert.Matches(@"(?m)^O README\.txt\s+erin\s+ID:", verified);
        Assert.Matches(@"(?m)^  file\.psd\s+alice\s+ID:", verified);
        var ours = JsonDocument.Parse(erin.Run(erinRepo, "storage", "locks", "--json", "--path", "README.txt").Output).RootElement;
        var theirs = JsonDocument.Parse(RunGit(scenario.Bob, bobRepo, "lfs", "locks", "--json", "--path", "README.txt").Output).RootElement;
        Assert.Equal(theirs[0].GetProperty("id").GetString(), ours[0].GetProperty("id").GetString());
        Assert.Equal("erin", ours[0].GetProperty("owner").GetProperty("name").GetString());

        // With lfs.locksverify a push changing alice's locked LFS file is refused, as git-lfs refuses it.
        foreach (var (user, repo) in new[] { (erin, erinRepo), (scenario.Bob, bobRepo) })
        {
            user.Run(repo, "config", "lfs.locksverify", "true");
            var file = Path.Combine(repo, "file.psd");
            File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserWrite);
            File.WriteAllText(file, "an unsanctioned edit\n");
            user.Run(repo, "commit", "-qam", "Edit a file alice locked");
            var refused = user.TryRun(repo, "push", "origin", "main");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Cannot update locked files", refused.Output + refused.Error, StringComparison.Ordinal);
            Assert.Contains("file.psd - alice", refused.Output + refused.Error, StringComparison.Ordinal);
        }
        var main = scenario.Alice.Run(scenario.Alice.Root, "--git-dir", scenario.RemotePath, "rev-parse", "main").Output.Trim();
        Assert.Equal(scenario.Alice.Run(scenario.AliceRepo, "rev-parse", "HEAD").Output.Trim(), main);

        var notHers = erin.TryRun(erinRepo, "storage", "unlock", "file.psd");
        Assert.Equal(2, notHers.ExitCode);
        Assert.Contains("--force", notHers.Error, StringComparison.Ordinal);
        Assert.Contains("needs admin access", erin.TryRun(erinRepo, "storage", "unlock", "--force", "file.psd").Error, StringComparison.Ordinal);
        Assert.Equal(0, RunGit(scenario.Carol, scenario.Clone(scenario.Carol), "lfs", "unlock", "--force", "file.psd").ExitCode);
        var pushed = erin.TryRun(erinRepo, "push", "origin", "main");
        Assert.True(pushed.ExitCode == 0, pushed.Error);

        Assert.Equal("Unlocked README.txt\n", erin.Run(erinRepo, "storage", "unlock", "README.txt").Output);
        Assert.Equal(string.Empty, RunGit(scenario.Bob, bobRepo, "lfs", "locks").Output.Trim());
    }
}
