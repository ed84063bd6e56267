using System.Text.RegularExpressions;

namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// <c>prune</c> keeps what git-lfs keeps (current checkout, recent refs, unpushed commits, stashes)
/// and deletes what git-lfs deletes, run on copies of one repository; <c>--verify-remote</c>
/// refuses to delete an object the server does not have.
/// </summary>
public sealed partial class PruneSideBySideTests : IAsyncLifetime
{
    private SideBySide _scene = null!;

    public async Task InitializeAsync() => _scene = await SideBySide.StartAsync();

    public async Task DisposeAsync() => await _scene.DisposeAsync();

    private static Dictionary<string, string> Dated(int daysAgo)
    {
        var date = DateTimeOffset.UtcNow.AddDays(-daysAgo).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return new() { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date };
    }

    private string Commit(string repo, string path, int seed, int daysAgo = 0)
    {
        var oid = TestFiles.Sha256(TestFiles.Write(Path.Combine(repo, path), 5_000 + seed, seed));
        _scene.Storage.Run(repo, "add", "-A");
        _scene.Storage.TryRun(repo, Dated(daysAgo), "commit", "-qm", $"{path} v{seed}").EnsureSuccess();
        return oid;
    }

    [Fact]
    public async Task Prune_deletes_exactly_what_git_lfs_prune_deletes()
    {
        var repo = await _scene.SeedAsync("team/prune", new Dictionary<string, long> { ["keep.bin"] = 1000 });
        var old = Commit(repo, "model.bin", 1, daysAgo: 40);
        var current = Commit(repo, "model.bin", 2, daysAgo: 30);
        _scene.Storage.Run(repo, "branch", "stale");
        var recent = Commit(repo, "model.bin", 3);
        _scene.Storage.Run(repo, "push", "-q", "origin", "main", "stale");
        _scene.Storage.Run(repo, "branch", "-D", "stale"); // only origin/stale is left, last touched 30 days ago
        var unpushed = Commit(repo, "local.bin", 4);
        TestFiles.Write(Path.Combine(repo, "wip.bin"), 3_333, 5);
        _scene.Storage.Run(repo, "add", "wip.bin");
        var stashed = TestFiles.Sha256(Path.Combine(repo, "wip.bin"));
        _scene.Storage.Run(repo, "stash");
        TestFiles.Write(Path.Combine(repo, "orphan.bin"), 4_444, 6);
        _scene.Storage.Run(repo, "add", "orphan.bin");
        var orphan = TestFiles.Sha256(Path.Combine(repo, "orphan.bin"));
        _scene.Storage.Run(repo, "reset", "-q");
        File.Delete(Path.Combine(repo, "orphan.bin"));

        var lfsCopy = SideBySide.Copy(repo, _scene.Lfs.PathOf("prune-lfs"));
        var storageCopy = SideBySide.Copy(repo, _scene.Storage.PathOf("prune-storage"));
        var lfsDry = _scene.Lfs.Run(lfsCopy, "lfs", "prune", "--dry-run").Output;
        var storageDry = _scene.Storage.Run(storageCopy, "storage", "prune", "--dry-run").Output;
        Assert.Equal(WouldPrune().Match(lfsDry).Value, WouldPrune().Match(storageDry).Value);
        Assert.Equal(SideBySide.CachedObjects(repo), SideBySide.CachedObjects(storageCopy)); // a dry run deletes nothing

        _scene.Lfs.Run(lfsCopy, "lfs", "prune");
        _scene.Storage.Run(storageCopy, "storage", "prune");
        var kept = SideBySide.CachedObjects(storageCopy);
        Assert.Equal(SideBySide.CachedObjects(lfsCopy), kept);
        Assert.Superset(new SortedSet<string> { recent, unpushed, stashed }, kept);
        Assert.DoesNotContain(old, kept);
        Assert.DoesNotContain(current, kept); // only the old remote branch had it
        Assert.DoesNotContain(orphan, kept);
        _scene.Storage.Run(storageCopy, "stash", "pop");
        Assert.Equal(stashed, TestFiles.Sha256(Path.Combine(storageCopy, "wip.bin")));
    }

    [Fact]
    public async Task Verify_remote_refuses_to_delete_an_object_the_server_lacks_and_names_the_fix()
    {
        // Git hosted elsewhere (a bare repository here), the LFS objects on StorageServer: a push
        // that skipped its LFS upload leaves the server without an object a pushed commit names.
        await _scene.Server.CreateRepoAsync("team/verify");
        var bare = _scene.Storage.CreateBareRemote("verify.git");
        var repo = _scene.Storage.PathOf("verify");
        _scene.Storage.Run(_scene.Storage.Root, "clone", "-q", "file://" + bare, repo);
        _scene.Storage.Run(repo, "config", "lfs.url", _scene.Url("team/verify") + "/info/lfs");
        _scene.Storage.Run(repo, "storage", "track", "*.bin");
        Commit(repo, "a.bin", 6);
        _scene.Storage.Run(repo, "push", "-q", "origin", "main");
        var missing = Commit(repo, "a.bin", 7);
        _scene.Storage.TryRun(repo, new Dictionary<string, string> { ["GIT_LFS_SKIP_PUSH"] = "1" }, "push", "-q", "origin", "main").EnsureSuccess();
        Commit(repo, "a.bin", 8);
        _scene.Storage.Run(repo, "push", "-q", "origin", "main");
        var lfsCopy = SideBySide.Copy(repo, _scene.Lfs.PathOf("verify-lfs"));

        var refused = _scene.Storage.TryRun(repo, "storage", "prune", "--verify-remote");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(missing, refused.Error, StringComparison.Ordinal);
        Assert.Contains("git storage push --all", refused.Error, StringComparison.Ordinal);
        Assert.Contains(missing, SideBySide.CachedObjects(repo));
        Assert.NotEqual(0, _scene.Lfs.TryRun(lfsCopy, "lfs", "prune", "--verify-remote").ExitCode);
        Assert.Contains(missing, SideBySide.CachedObjects(lfsCopy));

        // Without verification the object would have gone: the pushed ref says it was pushed.
        Assert.Contains("2 files would be pruned", _scene.Storage.Run(repo, "storage", "prune", "--dry-run").Output, StringComparison.Ordinal);
        _scene.Storage.Run(repo, "storage", "push", "--all");
        _scene.Storage.Run(repo, "storage", "prune", "--verify-remote");
        Assert.DoesNotContain(missing, SideBySide.CachedObjects(repo));
    }

    [GeneratedRegex(@"\d+ files would be pruned")]
    private static partial Regex WouldPrune();
}
