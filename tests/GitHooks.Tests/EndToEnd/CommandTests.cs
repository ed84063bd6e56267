using GitHooks.Tests.Support;

namespace GitHooks.Tests.EndToEnd;

/// <summary>The user-facing verbs with the real binary: push --all, fetch, pull, status, ls-files.</summary>
public sealed class CommandTests : IAsyncLifetime, IDisposable
{
    private readonly GitSandbox _sandbox = ClientSandbox.Create();
    private LfsTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LfsTestServer.StartAsync(_sandbox.PathOf("server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Skipped_push_then_push_all_then_skip_smudge_clone_fetch_status_and_pull()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin").EnsureSuccess();
        var data = TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 30_000, 90);
        var oid = TestFiles.Sha256(data);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "a").EnsureSuccess();

        Assert.Contains("Objects to be pushed to origin:\n\n\ta.bin (" + oid[..7], _sandbox.TryRun(repo, "storage", "status").EnsureSuccess().Output, StringComparison.Ordinal);
        _sandbox.TryRun(repo, new Dictionary<string, string> { ["GIT_LFS_SKIP_PUSH"] = "1" }, "push", "-q", "origin", "main").EnsureSuccess();
        Assert.False(_server.HasObject("repo", oid));

        _sandbox.TryRun(repo, "storage", "push", "--all").EnsureSuccess();
        Assert.True(_server.HasObject("repo", oid));

        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var clone = _sandbox.PathOf("clone");
        _sandbox.TryRun(_sandbox.Root, new Dictionary<string, string> { ["GIT_LFS_SKIP_SMUDGE"] = "1" },
            "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "a.bin")));
        Assert.Contains("- a.bin", _sandbox.TryRun(clone, "storage", "ls-files").EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.Contains("\ta.bin (object not downloaded)", _sandbox.TryRun(clone, "storage", "status").EnsureSuccess().Output, StringComparison.Ordinal);

        _sandbox.TryRun(clone, "storage", "fetch").EnsureSuccess();
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "a.bin")));
        Assert.Contains("\ta.bin (object cached)", _sandbox.TryRun(clone, "storage", "status").EnsureSuccess().Output, StringComparison.Ordinal);

        // From a subdirectory: paths are still resolved from the work tree root.
        Directory.CreateDirectory(Path.Combine(clone, "sub"));
        _sandbox.TryRun(Path.Combine(clone, "sub"), "storage", "pull").EnsureSuccess();
        Assert.Equal(data, TestFiles.Read(Path.Combine(clone, "a.bin")));
        Assert.DoesNotContain("a.bin", _sandbox.TryRun(clone, "storage", "status").EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.Contains($"{oid[..10]} * a.bin", _sandbox.TryRun(clone, "storage", "ls-files").EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);

        // A real edit by the user is never staged by the hooks' index refresh.
        TestFiles.WriteRandom(Path.Combine(clone, "a.bin"), 30_000, 91);
        _sandbox.TryRunWithInput(clone, string.Empty, "storage", "post-rewrite", "rebase").EnsureSuccess();
        Assert.Equal(" M a.bin\n", _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "diff", "--cached", "--name-only").EnsureSuccess().Output);
    }
}
