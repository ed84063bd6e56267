using StorageServer.EndToEnd.Tests.Support;
using static StorageServer.EndToEnd.Tests.Locks.LockingScenario;

namespace StorageServer.EndToEnd.Tests.Locks;

/// <summary>The stock git-lfs 3.3 client's lock commands against the real server process.</summary>
public sealed class GitLfsLockingTests
{
    [Fact]
    public async Task Lock_list_verify_and_unlock_work_as_with_GitHub()
    {
        await using var scenario = await StartAsync();
        var bobRepo = scenario.Clone(scenario.Bob);
        var carolRepo = scenario.Clone(scenario.Carol);
        var alice = scenario.AliceRepo;

        var locked = RunGit(scenario.Alice, alice, "lfs", "lock", "file.psd");
        Assert.True(locked.ExitCode == 0, locked.Error);
        Assert.Contains("Locked file.psd", locked.Output, StringComparison.Ordinal);
        var listed = RunGit(scenario.Bob, bobRepo, "lfs", "locks");
        Assert.Matches(@"(?m)^file\.psd\s+alice\s+ID:[0-9a-f]+\s*$", listed.Output);

        var taken = RunGit(scenario.Bob, bobRepo, "lfs", "lock", "file.psd");
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains("Locking file.psd failed: already locked by alice", taken.Output + taken.Error, StringComparison.Ordinal);

        Assert.Matches(@"(?m)^O file\.psd\s+alice", RunGit(scenario.Alice, alice, "lfs", "locks", "--verify").Output);
        var bobsView = RunGit(scenario.Bob, bobRepo, "lfs", "locks", "--verify").Output;
        Assert.Contains("file.psd", bobsView, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^O ", bobsView);

        var notYours = RunGit(scenario.Bob, bobRepo, "lfs", "unlock", "file.psd");
        Assert.NotEqual(0, notYours.ExitCode);
        Assert.Contains("locked by alice, not by you", notYours.Output + notYours.Error, StringComparison.Ordinal);
        var writerForce = RunGit(scenario.Bob, bobRepo, "lfs", "unlock", "--force", "file.psd");
        Assert.NotEqual(0, writerForce.ExitCode);
        Assert.Contains("needs admin access", writerForce.Output + writerForce.Error, StringComparison.Ordinal);
        Assert.Contains("file.psd", RunGit(scenario.Alice, alice, "lfs", "locks").Output, StringComparison.Ordinal);

        var forced = RunGit(scenario.Carol, carolRepo, "lfs", "unlock", "--force", "file.psd");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal("", RunGit(scenario.Alice, alice, "lfs", "locks").Output.Trim());
        Assert.Contains("carol force-unlocked file.psd in team/data", scenario.Server.Log, StringComparison.Ordinal);

        Assert.Equal(0, RunGit(scenario.Alice, alice, "lfs", "lock", "file.psd").ExitCode);
        var unlocked = RunGit(scenario.Alice, alice, "lfs", "unlock", "file.psd");
        Assert.True(unlocked.ExitCode == 0, unlocked.Error);
        Assert.Contains("Unlocked file.psd", unlocked.Output, StringComparison.Ordinal);
        Assert.Equal("", RunGit(scenario.Bob, bobRepo, "lfs", "locks").Output.Trim());
    }

    [Fact]
    public async Task Lockable_files_are_read_only_until_you_hold_the_lock()
    {
        await using var scenario = await StartAsync();
        var bobRepo = scenario.Clone(scenario.Bob);
        var file = Path.Combine(bobRepo, "file.psd");

        Assert.False(IsWritable(file), "a lockable file must be read-only after clone");
        Assert.True(IsWritable(Path.Combine(bobRepo, "README.txt")), "files that are not lockable stay writable");

        Assert.Equal(0, RunGit(scenario.Alice, scenario.AliceRepo, "lfs", "lock", "file.psd").ExitCode);
        Assert.NotEqual(0, RunGit(scenario.Bob, bobRepo, "lfs", "lock", "file.psd").ExitCode);
        Assert.False(IsWritable(file), "a failed lock must leave the file read-only");

        Assert.Equal(0, RunGit(scenario.Alice, scenario.AliceRepo, "lfs", "unlock", "file.psd").ExitCode);
        var locked = RunGit(scenario.Bob, bobRepo, "lfs", "lock", "file.psd");
        Assert.True(locked.ExitCode == 0, locked.Error);
        Assert.True(IsWritable(file), "the lock holder's copy becomes writable");

        Assert.Equal(0, RunGit(scenario.Bob, bobRepo, "lfs", "unlock", "file.psd").ExitCode);
        Assert.False(IsWritable(file), "unlocking makes it read-only again");

        Assert.Equal(0, RunGit(scenario.Bob, bobRepo, "checkout", "-b", "topic").ExitCode);
        Assert.Equal(0, RunGit(scenario.Bob, bobRepo, "checkout", "main").ExitCode);
        Assert.False(IsWritable(file), "and it stays read-only across checkouts");
    }

    [Fact]
    public async Task With_locksverify_a_push_changing_someone_elses_locked_file_is_refused()
    {
        await using var scenario = await StartAsync();
        Assert.Equal(0, RunGit(scenario.Alice, scenario.AliceRepo, "lfs", "lock", "file.psd").ExitCode);
        var bobRepo = scenario.Clone(scenario.Bob);
        scenario.Bob.Run(bobRepo, "config", $"lfs.{scenario.LfsUrl}.locksverify", "true");
        var before = scenario.Bob.Run(bobRepo, "rev-parse", "origin/main").Output.Trim();

        // A change that touches no locked file goes through: verification itself succeeds.
        File.WriteAllText(Path.Combine(bobRepo, "README.txt"), "art assets, see file.psd\n");
        scenario.Bob.Run(bobRepo, "commit", "-am", "Document the artwork");
        var allowed = RunGit(scenario.Bob, bobRepo, "push", "origin", "main");
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        var afterReadme = scenario.Bob.Run(bobRepo, "rev-parse", "HEAD").Output.Trim();
        Assert.NotEqual(before, afterReadme);

        var file = Path.Combine(bobRepo, "file.psd");
        File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserWrite);
        File.WriteAllText(file, "bob's unsanctioned edit\n");
        scenario.Bob.Run(bobRepo, "commit", "-am", "Edit locked artwork");
        var refused = RunGit(scenario.Bob, bobRepo, "push", "origin", "main");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Cannot update locked files", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.Contains("file.psd - alice", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.Equal(afterReadme, scenario.Bob.Run(scenario.Bob.Root, "--git-dir", scenario.RemotePath, "rev-parse", "main").Output.Trim());
    }
}
