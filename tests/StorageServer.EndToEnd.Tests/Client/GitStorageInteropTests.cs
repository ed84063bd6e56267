using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// The <c>git storage</c> client against the real StorageServer, and interoperating with the
/// stock git-lfs client on the same server in both directions: same pointers, same objects.
/// </summary>
public sealed class GitStorageInteropTests : IAsyncLifetime
{
    private static readonly Dictionary<string, long> Files = new()
    {
        ["empty.bin"] = 0,
        ["small.bin"] = 1,
        ["data/naïve file ✓.bin"] = 70_000,
        ["models/model.bin"] = 24L * 1024 * 1024,
    };

    private readonly GitSandbox _storageUser = new(LfsClient.GitStorage);
    private readonly GitSandbox _lfsUser = new(LfsClient.GitLfs);
    private ServerProcess _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        _token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { ["*"] = "write" });
        _storageUser.StoreCredentials(_server.BaseUrl, _token, "alice");
        _lfsUser.StoreCredentials(_server.BaseUrl, _token, "alice");
    }

    [Fact]
    public async Task Pushed_with_git_storage_cloned_with_git_lfs()
    {
        await _server.CreateRepoAsync("team/from-storage");
        var url = $"{_server.BaseUrl}/team/from-storage.git";
        var work = _storageUser.PathOf("work");
        _storageUser.Run(_storageUser.Root, "clone", url, work);
        _storageUser.Run(work, "storage", "track", "*.bin");
        var hashes = WriteFiles(work);
        _storageUser.Run(work, "add", "-A");
        _storageUser.Run(work, "commit", "-m", "data via git storage");
        _storageUser.Run(work, "push", "origin", "main");

        var clone = _lfsUser.PathOf("clone");
        _lfsUser.Run(_lfsUser.Root, "clone", url, clone);
        AssertIntact(clone, hashes);
        Assert.Contains("Git LFS fsck OK", _lfsUser.Run(clone, "lfs", "fsck", "--pointers", "--objects").Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pushed_with_git_lfs_cloned_with_git_storage_then_pushed_back()
    {
        await _server.CreateRepoAsync("team/from-lfs");
        var url = $"{_server.BaseUrl}/team/from-lfs.git";
        var work = _lfsUser.PathOf("work");
        _lfsUser.Run(_lfsUser.Root, "clone", url, work);
        _lfsUser.Run(work, "lfs", "track", "*.bin");
        var hashes = WriteFiles(work);
        _lfsUser.Run(work, "add", "-A");
        _lfsUser.Run(work, "commit", "-m", "data via git lfs");
        _lfsUser.Run(work, "push", "origin", "main");

        var clone = _storageUser.PathOf("clone");
        _storageUser.Run(_storageUser.Root, "clone", url, clone);
        AssertIntact(clone, hashes);
        Assert.Empty(_storageUser.Run(clone, "status", "--porcelain").Output.Trim());

        // A new version through git storage, pulled back by git-lfs.
        hashes["models/model.bin"] = TestFiles.Sha256(TestFiles.Write(Path.Combine(clone, "models", "model.bin"), 3 * 1024 * 1024, seed: 77));
        _storageUser.Run(clone, "commit", "-am", "retrained");
        _storageUser.Run(clone, "push", "origin", "main");
        _lfsUser.Run(work, "pull", "origin", "main");
        AssertIntact(work, hashes);
    }

    [Fact]
    public async Task A_read_only_token_cannot_push_through_git_storage_and_nothing_moves()
    {
        await _server.CreateRepoAsync("team/guarded");
        var reader = await _server.CreateTokenAsync("reader", new Dictionary<string, string> { ["team/guarded"] = "read" });
        using var user = new GitSandbox(LfsClient.GitStorage);
        user.StoreCredentials(_server.BaseUrl, reader, "reader");
        var work = user.PathOf("work");
        user.Run(user.Root, "clone", $"{_server.BaseUrl}/team/guarded.git", work);
        user.Run(work, "storage", "track", "*.bin");
        TestFiles.Write(Path.Combine(work, "x.bin"), 5000);
        user.Run(work, "add", "-A");
        user.Run(work, "commit", "-m", "x");
        var push = user.TryRun(work, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("403", push.Error, StringComparison.Ordinal);
        Assert.Empty(user.Run(work, "ls-remote", "origin").Output.Trim());
    }

    private static Dictionary<string, string> WriteFiles(string work)
    {
        var hashes = new Dictionary<string, string>();
        var seed = 10;
        foreach (var (path, size) in Files)
        {
            hashes[path] = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, path), size, seed++));
        }
        return hashes;
    }

    private static void AssertIntact(string clone, Dictionary<string, string> hashes)
    {
        foreach (var (path, hash) in hashes)
        {
            Assert.True(hash == TestFiles.Sha256(Path.Combine(clone, path)), $"{path} differs");
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _storageUser.Dispose();
        _lfsUser.Dispose();
    }
}
