using GitHooks.Tests.Support;

namespace GitHooks.Tests.EndToEnd;

/// <summary>
/// The whole loop with the real git and the real git-storage executable: install, track, commit,
/// push (pre-push uploads), fresh clone (filter + post-checkout download), branch switch, merge,
/// and a download that is cut off and resumes.
/// </summary>
public sealed class PushAndCloneTests : IAsyncLifetime, IDisposable
{
    private readonly GitSandbox _sandbox = ClientSandbox.Create();
    private LfsTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LfsTestServer.StartAsync(_sandbox.PathOf("server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Push_then_fresh_clone_puts_data_in_place_and_status_is_clean()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var big = TestFiles.WriteRandom(Path.Combine(repo, "data", "big.bin"), 3_000_000, 1);
        var small = TestFiles.WriteRandom(Path.Combine(repo, "small.bin"), 70_000, 2);
        File.WriteAllText(Path.Combine(repo, "readme.txt"), "plain text\n");
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "data").EnsureSuccess();

        // What git stores is the canonical pointer; the cache holds the bytes, git-lfs layout.
        var stored = _sandbox.TryRun(repo, "show", "HEAD:data/big.bin").EnsureSuccess().Output;
        Assert.Equal($"version https://git-lfs.github.com/spec/v1\noid sha256:{TestFiles.Sha256(big)}\nsize 3000000\n", stored);
        var bigOid = TestFiles.Sha256(big);
        Assert.True(File.Exists(Path.Combine(repo, ".git", "lfs", "objects", bigOid[..2], bigOid[2..4], bigOid)));

        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();
        Assert.True(_server.HasObject("repo", bigOid));
        Assert.True(_server.HasObject("repo", TestFiles.Sha256(small)));
        Assert.Equal(2, _server.Count("POST", "/verify") - _server.Count("POST", "/locks/verify"));

        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var clone = _sandbox.PathOf("clone");
        _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();

        var origin = _sandbox.TryRun(clone, "config", "--show-origin", "--get", "filter.lfs.process").EnsureSuccess().Output;
        Assert.Contains("git-storage filter-process", origin, StringComparison.Ordinal);
        Assert.Equal(big, TestFiles.Read(Path.Combine(clone, "data", "big.bin")));
        Assert.Equal(small, TestFiles.Read(Path.Combine(clone, "small.bin")));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
        Assert.Contains("* data/big.bin", _sandbox.TryRun(clone, "storage", "ls-files").EnsureSuccess().Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Branch_switch_and_merge_bring_the_right_versions()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var v1 = TestFiles.WriteRandom(Path.Combine(repo, "model.bin"), 200_000, 10);
        // The clones below find the endpoint only through the committed .lfsconfig.
        File.WriteAllText(Path.Combine(repo, ".lfsconfig"), $"[lfs]\n\turl = {_server.LfsUrl("repo")}\n");
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "v1").EnsureSuccess();
        _sandbox.TryRun(repo, "checkout", "-q", "-b", "feature").EnsureSuccess();
        var v2 = TestFiles.WriteRandom(Path.Combine(repo, "model.bin"), 250_000, 11);
        var extra = TestFiles.WriteRandom(Path.Combine(repo, "extra.bin"), 10_000, 12);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "v2").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main", "feature").EnsureSuccess();

        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var clone = _sandbox.PathOf("clone");
        _sandbox.TryRun(_sandbox.Root, "clone", "-q", "file://" + remote, clone).EnsureSuccess();
        Assert.Equal(v1, TestFiles.Read(Path.Combine(clone, "model.bin")));

        _sandbox.TryRun(clone, "checkout", "-q", "feature").EnsureSuccess();
        Assert.Equal(v2, TestFiles.Read(Path.Combine(clone, "model.bin")));
        Assert.Equal(extra, TestFiles.Read(Path.Combine(clone, "extra.bin")));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);

        _sandbox.TryRun(clone, "checkout", "-q", "main").EnsureSuccess();
        Assert.Equal(v1, TestFiles.Read(Path.Combine(clone, "model.bin")));

        // A second clone whose cache lacks v2: the merge's post-merge hook must download it.
        var other = _sandbox.PathOf("other");
        _sandbox.TryRun(_sandbox.Root, "clone", "-q", "file://" + remote, other).EnsureSuccess();
        _sandbox.TryRun(other, "merge", "-q", "--ff-only", "origin/feature").EnsureSuccess();
        Assert.Equal(v2, TestFiles.Read(Path.Combine(other, "model.bin")));
        Assert.Equal(extra, TestFiles.Read(Path.Combine(other, "extra.bin")));
        Assert.Equal(string.Empty, _sandbox.TryRun(other, "status", "--porcelain").EnsureSuccess().Output);
    }

    [Fact]
    public void Fresh_clone_gets_its_data_through_the_delayed_filter_and_post_checkout_has_nothing_left()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var files = Enumerable.Range(0, 150).Select(i => TestFiles.WriteRandom(Path.Combine(repo, $"d/f{i}.bin"), 5_000 + i, 1000 + i)).ToList();
        File.WriteAllText(Path.Combine(repo, "readme.txt"), "plain\n");
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "many").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();
        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var batchesBefore = _server.Count("POST", "/objects/batch");

        var clone = _sandbox.PathOf("clone");
        var result = _sandbox.TryRun(_sandbox.Root, new Dictionary<string, string> { ["GIT_STORAGE_TRACE"] = "1" },
            "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();

        // The filter downloaded all 150 in one delayed round.
        Assert.Contains("trace git-storage: delayed checkout: downloaded 150 objects for 150 paths, 0 failed", result.Error, StringComparison.Ordinal);
        // Batches go out as git sends smudges: full ones of 100, or a partial one when git pauses
        // for 20 ms (rare; a loaded machine may split the rest once more).
        Assert.InRange(_server.Count("POST", "/objects/batch") - batchesBefore, 2, 3);
        Assert.Equal(150, _server.Count("GET", "/objects/"));
        // post-checkout ran and found no pointer left, so it downloaded and rewrote nothing.
        Assert.Contains("trace git-storage: found 0 pointer files among 152 paths", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("replaced", result.Error, StringComparison.Ordinal);
        for (var i = 0; i < files.Count; i++)
        {
            Assert.Equal(files[i], TestFiles.Read(Path.Combine(clone, $"d/f{i}.bin")));
        }
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
    }

    [Fact]
    public void Interrupted_download_resumes_with_a_range_request()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var data = TestFiles.WriteRandom(Path.Combine(repo, "large.bin"), 4_000_000, 20);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "large").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();

        var oid = TestFiles.Sha256(data);
        _server.DropDownloadAfter[oid] = 1_500_000;
        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var clone = _sandbox.PathOf("clone");
        _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();

        Assert.Equal(data, TestFiles.Read(Path.Combine(clone, "large.bin")));
        var gets = _server.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith(oid, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, gets.Count);
        Assert.Null(gets[0].Range);
        Assert.NotNull(gets[1].Range);
        Assert.StartsWith("bytes=", gets[1].Range, StringComparison.Ordinal);
        Assert.DoesNotContain("bytes=0-", gets[1].Range, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(clone, ".git", "lfs", "incomplete", oid + ".part")));
    }

    [Fact]
    public void An_existing_pre_push_hook_is_chained_and_still_runs_with_the_same_input()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.PathOf("work");
        _sandbox.TryRun(_sandbox.Root, "init", "-q", repo).EnsureSuccess();
        var marker = _sandbox.PathOf("user-hook-ran");
        var hook = Path.Combine(repo, ".git", "hooks", "pre-push");
        File.WriteAllText(hook, $"#!/bin/sh\ncat > \"{marker}\"\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _sandbox.TryRun(repo, "remote", "add", "origin", "file://" + remote).EnsureSuccess();
        _sandbox.TryRun(repo, "config", "lfs.url", _server.LfsUrl("repo").AbsoluteUri).EnsureSuccess();
        var install = _sandbox.TryRun(repo, "storage", "install").EnsureSuccess();
        Assert.Contains("pre-push.local", install.Error, StringComparison.Ordinal);

        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var data = TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 10_000, 80);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "a").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();

        Assert.StartsWith("refs/heads/main ", File.ReadAllText(marker), StringComparison.Ordinal);
        Assert.True(_server.HasObject("repo", TestFiles.Sha256(data)));
    }

    [Fact]
    public void Pull_with_rebase_brings_the_new_version_through_the_rewrite_hooks()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 40_000, 100);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "v1").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();

        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var clone = _sandbox.PathOf("clone");
        _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();
        File.WriteAllText(Path.Combine(clone, "notes.txt"), "local work\n");
        _sandbox.TryRun(clone, "add", "notes.txt").EnsureSuccess();
        _sandbox.TryRun(clone, "commit", "-qm", "local").EnsureSuccess();

        var v2 = TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 45_000, 101);
        _sandbox.TryRun(repo, "commit", "-qam", "v2").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();

        _sandbox.TryRun(clone, "pull", "-q", "--rebase", "origin", "main").EnsureSuccess();
        Assert.Equal(v2, TestFiles.Read(Path.Combine(clone, "a.bin")));
        Assert.Equal("local work\n", File.ReadAllText(Path.Combine(clone, "notes.txt")));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
    }
}
