using GitHooks.Tests.Support;

namespace GitHooks.Tests.EndToEnd;

/// <summary>The user-facing verbs with the real binary: push --all, fetch, pull, status, ls-files.</summary>
public sealed class CommandTests : IAsyncLifetime, IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private LfsTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LfsTestServer.StartAsync(_sandbox.PathOf("server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Skipped_push_then_push_all_then_skip_smudge_clone_fetch_status_and_pull()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.Git(repo, "storage", "track", "*.bin").EnsureSuccess();
        var data = TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 30_000, 90);
        var oid = TestFiles.Sha256(data);
        _sandbox.Git(repo, "add", ".").EnsureSuccess();
        _sandbox.Git(repo, "commit", "-qm", "a").EnsureSuccess();

        Assert.Contains("a.bin (" + oid[..12], _sandbox.Git(repo, "storage", "status").EnsureSuccess().StdOut, StringComparison.Ordinal);
        _sandbox.Environment["GIT_LFS_SKIP_PUSH"] = "1";
        _sandbox.Git(repo, "push", "-q", "origin", "main").EnsureSuccess();
        _sandbox.Environment.Remove("GIT_LFS_SKIP_PUSH");
        Assert.False(_server.HasObject("repo", oid));

        _sandbox.Git(repo, "storage", "push", "--all").EnsureSuccess();
        Assert.True(_server.HasObject("repo", oid));

        _sandbox.Git(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        _sandbox.Environment["GIT_LFS_SKIP_SMUDGE"] = "1";
        var clone = _sandbox.PathOf("clone");
        _sandbox.Git(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();
        _sandbox.Environment.Remove("GIT_LFS_SKIP_SMUDGE");
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "a.bin")));
        Assert.Contains("- a.bin", _sandbox.Git(clone, "storage", "ls-files").EnsureSuccess().StdOut, StringComparison.Ordinal);
        Assert.Contains("a.bin: pointer (object not downloaded)", _sandbox.Git(clone, "storage", "status").EnsureSuccess().StdOut, StringComparison.Ordinal);

        _sandbox.Git(clone, "storage", "fetch").EnsureSuccess();
        Assert.True(TestFiles.IsPointer(Path.Combine(clone, "a.bin")));
        Assert.Contains("a.bin: pointer (object cached", _sandbox.Git(clone, "storage", "status").EnsureSuccess().StdOut, StringComparison.Ordinal);

        // From a subdirectory: paths are still resolved from the work tree root.
        Directory.CreateDirectory(Path.Combine(clone, "sub"));
        _sandbox.Git(Path.Combine(clone, "sub"), "storage", "pull").EnsureSuccess();
        Assert.Equal(data, TestFiles.Read(Path.Combine(clone, "a.bin")));
        Assert.Contains("a.bin: data", _sandbox.Git(clone, "storage", "status").EnsureSuccess().StdOut, StringComparison.Ordinal);
        Assert.Contains($"{oid[..10]} * a.bin", _sandbox.Git(clone, "storage", "ls-files").EnsureSuccess().StdOut, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _sandbox.Git(clone, "status", "--porcelain").EnsureSuccess().StdOut);

        // A real edit by the user is never staged by the hooks' index refresh.
        TestFiles.WriteRandom(Path.Combine(clone, "a.bin"), 30_000, 91);
        (await _sandbox.RunAsync(clone, ["storage", "post-rewrite", "rebase"], string.Empty)).EnsureSuccess();
        Assert.Equal(" M a.bin\n", _sandbox.Git(clone, "status", "--porcelain").EnsureSuccess().StdOut);
        Assert.Equal(string.Empty, _sandbox.Git(clone, "diff", "--cached", "--name-only").EnsureSuccess().StdOut);
    }
}
