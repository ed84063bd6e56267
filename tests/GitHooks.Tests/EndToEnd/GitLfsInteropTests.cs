using GitHooks.Tests.Support;

namespace GitHooks.Tests.EndToEnd;

/// <summary>
/// Interop with the real git-lfs 3.3 client on the same LFS server, both ways: the pointer format,
/// the local cache layout and the batch protocol must be exactly git-lfs's.
/// </summary>
public sealed class GitLfsInteropTests : IAsyncLifetime, IDisposable
{
    private readonly GitSandbox _sandbox = ClientSandbox.Create();
    private LfsTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LfsTestServer.StartAsync(_sandbox.PathOf("server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _sandbox.Dispose();

    private string[] GitLfsFilterConfig =>
    [
        "-c", "filter.lfs.process=git-lfs filter-process",
        "-c", "filter.lfs.clean=git-lfs clean -- %f",
        "-c", "filter.lfs.smudge=git-lfs smudge -- %f",
        "-c", "filter.lfs.required=true",
        "-c", "lfs.url=" + _server.LfsUrl("repo"),
    ];

    [Fact]
    public void Push_with_git_storage_then_clone_with_git_lfs_gives_identical_files_and_fsck_ok()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.CreateRepo("work", remote, _server.LfsUrl("repo"));
        _sandbox.TryRun(repo, "storage", "track", "*.bin", "*.dat").EnsureSuccess();
        var a = TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 1_200_000, 30);
        var b = TestFiles.WriteRandom(Path.Combine(repo, "sub dir", "b.dat"), 5_000, 31);
        File.WriteAllBytes(Path.Combine(repo, "empty.bin"), []);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "data").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();

        // Same cache layout: git-lfs checks our .git/lfs/objects and our pointers.
        var ourFsck = _sandbox.TryRun(repo, "lfs", "fsck").EnsureSuccess().Output;
        Assert.Contains("Git LFS fsck OK", ourFsck, StringComparison.Ordinal);

        var clone = _sandbox.PathOf("lfs-clone");
        // clone -c writes these into the clone's own config, so later commands use git-lfs too.
        _sandbox.TryRun(_sandbox.Root, ["clone", "-q", .. GitLfsFilterConfig, "file://" + remote, clone]).EnsureSuccess();
        Assert.Contains("git-lfs filter-process", _sandbox.TryRun(clone, "config", "--get", "filter.lfs.process").EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.Equal(a, TestFiles.Read(Path.Combine(clone, "a.bin")));
        Assert.Equal(b, TestFiles.Read(Path.Combine(clone, "sub dir", "b.dat")));
        Assert.Empty(TestFiles.Read(Path.Combine(clone, "empty.bin")));
        Assert.Contains("Git LFS fsck OK", _sandbox.TryRun(clone, "lfs", "fsck").EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.Contains("Git LFS fsck OK", _sandbox.TryRun(clone, "lfs", "fsck", "--pointers").EnsureSuccess().Output, StringComparison.Ordinal);
        var listed = _sandbox.TryRun(clone, "lfs", "ls-files").EnsureSuccess().Output;
        Assert.Contains("a.bin", listed, StringComparison.Ordinal);
        Assert.Contains("sub dir/b.dat", listed, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);
    }

    [Fact]
    public void Push_with_git_lfs_then_clone_with_git_storage_gives_identical_files()
    {
        var remote = _sandbox.CreateBareRemote();
        var repo = _sandbox.PathOf("lfs-work");
        _sandbox.TryRun(_sandbox.Root, "init", "-q", repo).EnsureSuccess();
        _sandbox.TryRun(repo, "remote", "add", "origin", "file://" + remote).EnsureSuccess();
        _sandbox.TryRun(repo, "config", "lfs.url", _server.LfsUrl("repo").AbsoluteUri).EnsureSuccess();
        _sandbox.TryRun(repo, "lfs", "install", "--local").EnsureSuccess();
        _sandbox.TryRun(repo, "lfs", "track", "*.bin").EnsureSuccess();
        var a = TestFiles.WriteRandom(Path.Combine(repo, "a.bin"), 900_000, 40);
        var b = TestFiles.WriteRandom(Path.Combine(repo, "nested", "b.bin"), 3_000, 41);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "data from git-lfs").EnsureSuccess();
        _sandbox.TryRun(repo, "push", "-q", "origin", "main").EnsureSuccess();
        Assert.True(_server.HasObject("repo", TestFiles.Sha256(a)));

        _sandbox.TryRun(_sandbox.Root, "storage", "install", "--global").EnsureSuccess();
        var clone = _sandbox.PathOf("storage-clone");
        _sandbox.TryRun(_sandbox.Root, "clone", "-q", "-c", "lfs.url=" + _server.LfsUrl("repo"), "file://" + remote, clone).EnsureSuccess();
        Assert.Equal(a, TestFiles.Read(Path.Combine(clone, "a.bin")));
        Assert.Equal(b, TestFiles.Read(Path.Combine(clone, "nested", "b.bin")));
        Assert.Equal(string.Empty, _sandbox.TryRun(clone, "status", "--porcelain").EnsureSuccess().Output);

        // And back: a change committed with git-storage is readable by git-lfs in the first repo.
        var a2 = TestFiles.WriteRandom(Path.Combine(clone, "a.bin"), 950_000, 42);
        _sandbox.TryRun(clone, "commit", "-qam", "v2 from git-storage").EnsureSuccess();
        _sandbox.TryRun(clone, "push", "-q", "origin", "main").EnsureSuccess();
        _sandbox.TryRun(repo, "pull", "-q", "origin", "main").EnsureSuccess();
        Assert.Equal(a2, TestFiles.Read(Path.Combine(repo, "a.bin")));
    }
}
