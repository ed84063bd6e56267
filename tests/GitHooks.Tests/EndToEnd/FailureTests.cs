using GitHooks.Tests.Support;

namespace GitHooks.Tests.EndToEnd;

/// <summary>
/// The bad cases: an object missing on the server (404), an erased one (410), wrong credentials,
/// the server going away, and a file that looks like a pointer but is not canonical.
/// </summary>
public sealed class FailureTests : IAsyncLifetime, IDisposable
{
    private readonly GitSandbox _sandbox = ClientSandbox.Create();
    private LfsTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LfsTestServer.StartAsync(_sandbox.PathOf("server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _sandbox.Dispose();

    private (string Remote, byte[] Kept, byte[] Lost) PushTwoFiles()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var kept = TestFiles.WriteRandom(Path.Combine(repo, "kept.bin"), 50_000, 50);
        var lost = TestFiles.WriteRandom(Path.Combine(repo, "lost.bin"), 60_000, 51);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "two").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();
        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        return (remote, kept, lost);
    }

    [Fact]
    public void Object_missing_on_server_leaves_pointer_and_says_so()
    {
        var (remote, kept, lost) = PushTwoFiles();
        File.Delete(_server.ObjectPath("repo", TestFiles.Sha256(lost)));

        var clone = _sandbox.PathOf("clone");
        var result = _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone);

        Assert.NotEqual(0, result.ExitCode); // post-checkout's status is the checkout's
        Assert.Contains("lost.bin", result.Error, StringComparison.Ordinal);
        Assert.Contains("missing on the server (404)", result.Error, StringComparison.Ordinal);
        // Said once: the delayed filter reports it, post-checkout only turns it into its exit code.
        Assert.Single(result.Error.Split('\n'), l => l.Contains("lost.bin", StringComparison.Ordinal));
        Assert.Equal(kept, TestFiles.Read(Path.Combine(clone, "kept.bin")));
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "lost.bin")));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
    }

    [Fact]
    public void Erased_object_keeps_pointer_warns_and_does_not_fail_checkout()
    {
        var (remote, kept, lost) = PushTwoFiles();
        _server.ObjectErrors[TestFiles.Sha256(lost)] = 410;
        // Removed by a retention policy, not a data-protection request: the client says what the server said.
        _server.ObjectErrorMessages[TestFiles.Sha256(lost)] = "Object was removed from this server.";

        var clone = _sandbox.PathOf("clone");
        var result = _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("lost.bin", result.Error, StringComparison.Ordinal);
        Assert.Contains("gone from the server (410: Object was removed from this server)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("data-protection", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n'), l => l.Contains("lost.bin", StringComparison.Ordinal));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
        Assert.Equal(kept, TestFiles.Read(Path.Combine(clone, "kept.bin")));
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "lost.bin")));
    }

    [Fact]
    public void Wrong_credentials_abort_the_push_with_a_clear_message_and_right_ones_work()
    {
        _server.RequiredCredential = ("alice", "s3cret");
        _sandbox.UseCredentials("alice", "wrong");
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var data = TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 20_000, 60);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "a").EnsureSuccess();

        var refused = _sandbox.TryRun(repo, "push", "origin", "main");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Authentication failed", refused.Error, StringComparison.Ordinal);
        Assert.Contains("push was aborted", refused.Error, StringComparison.Ordinal);
        Assert.False(_sandbox.TryRun(remote, "rev-parse", "-q", "--verify", "refs/heads/main").Succeeded);

        _sandbox.UseCredentials("alice", "s3cret");
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();
        Assert.True(_server.HasObject("repo", TestFiles.Sha256(data)));
        Assert.Contains(_server.Requests, r => r.Authorization?.StartsWith("Basic ", StringComparison.Ordinal) == true);
        // Remembered as git-lfs does, so the next command sends credentials without a 401 first.
        Assert.Equal("basic", _sandbox.TryRun(repo, "config", "--get", $"lfs.{_server.LfsUrl("repo").AbsoluteUri}.access").EnsureSuccess().Output.Trim());
    }

    [Fact]
    public async Task Server_down_aborts_the_push_and_a_later_push_succeeds()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 20_000, 70);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "a").EnsureSuccess();
        var url = _server.LfsUrl("repo");
        await _server.DisposeAsync();

        var failed = _sandbox.TryRun(repo, "push", "origin", "main");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("cannot reach the LFS server", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("retrying", failed.Error, StringComparison.Ordinal); // fails at once, as git-lfs does
        Assert.False(_sandbox.TryRun(remote, "rev-parse", "-q", "--verify", "refs/heads/main").Succeeded);

        _server = await LfsTestServer.StartAsync(_sandbox.PathOf("server2"));
        _sandbox.TryRun(repo, "config", "lfs.url", _server.LfsUrl("repo").AbsoluteUri).EnsureSuccess();
        Assert.NotEqual(url, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();
    }

    [Fact]
    public void Transfer_errors_mid_download_are_retried_then_reported_and_pull_recovers()
    {
        var (remote, kept, lost) = PushTwoFiles();
        var oid = TestFiles.Sha256(lost);
        _server.NextTransferStatuses[oid] = new System.Collections.Concurrent.ConcurrentQueue<int>([503, 503, 503, 503]);

        var clone = _sandbox.PathOf("clone");
        var result = _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("503", result.Error, StringComparison.Ordinal);
        Assert.Contains($"git-storage: download of {oid[..12]}: download: the server answered 503 Service Unavailable; retrying in", result.Error, StringComparison.Ordinal);
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "lost.bin")));
        Assert.Equal(kept, TestFiles.Read(Path.Combine(clone, "kept.bin")));
        Assert.Equal(3, _server.Count("GET", oid)); // first try + lfs.transfer.maxretries=2

        _sandbox.TryRun(clone, "storage", "pull").EnsureSuccess();
        Assert.Equal(lost, TestFiles.Read(Path.Combine(clone, "lost.bin")));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
    }

    [Fact]
    public void File_that_looks_like_a_pointer_but_is_not_canonical_round_trips_byte_for_byte()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var lookalike = System.Text.Encoding.UTF8.GetBytes(
            "version https://git-lfs.github.com/spec/v1\noid sha256:" + new string('a', 64) + "\nsize 12\n\n\n");
        File.WriteAllBytes(Path.Combine(repo, "fake.bin"), lookalike);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "lookalike").EnsureSuccess();

        // Stored as data: the blob is a canonical pointer to the lookalike's own bytes.
        var blob = _sandbox.TryRun(repo, "show", "HEAD:fake.bin").EnsureSuccess().Output;
        Assert.Contains("oid sha256:" + TestFiles.Sha256(lookalike), blob, StringComparison.Ordinal);
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();

        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var clone = _sandbox.PathOf("clone");
        _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();
        Assert.Equal(lookalike, TestFiles.Read(Path.Combine(clone, "fake.bin")));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
    }

    [Fact]
    public void Download_cut_off_with_no_retries_left_keeps_its_part_file_and_pull_resumes_it()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var data = TestFiles.WriteRandom(Path.Combine(repo, "large.bin"), 3_000_000, 95);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "large").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();
        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var oid = TestFiles.Sha256(data);
        _server.DropDownloadAfter[oid] = 1_000_000;

        var clone = _sandbox.PathOf("clone");
        var result = _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "-c", "lfs.transfer.maxretries=0", "file://" + remote, clone);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("download interrupted", result.Error, StringComparison.Ordinal);
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "large.bin")));
        var part = new FileInfo(Path.Combine(clone, ".git", "lfs", "incomplete", oid + ".part"));
        Assert.True(part.Exists && part.Length > 0 && part.Length < data.Length);
        var kept = part.Length;

        _sandbox.TryRun(clone, "storage", "pull").EnsureSuccess();
        Assert.Equal(data, TestFiles.Read(Path.Combine(clone, "large.bin")));
        var resumed = _server.Requests.Last(r => r.Method == "GET" && r.Path.EndsWith(oid, StringComparison.Ordinal));
        Assert.Equal($"bytes={kept}-{data.Length - 1}", resumed.Range);
    }
}
