namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// <c>pull</c>/<c>fetch</c> with <c>--include</c>/<c>--exclude</c> and <c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c>:
/// git storage and git-lfs 3.3, on clones of the same repository, download the same objects and
/// leave the same files as pointers.
/// </summary>
public sealed class FetchFilterSideBySideTests : IAsyncLifetime
{
    private static readonly Dictionary<string, long> Files = new()
    {
        ["data/train/a.bin"] = 40_000,
        ["data/train/deep/b.bin"] = 41_000,
        ["data/test/c.bin"] = 42_000,
        ["models/m.bin"] = 43_000,
        ["models/train/notes.bin"] = 44_000,
    };

    private SideBySide _scene = null!;

    public async Task InitializeAsync()
    {
        _scene = await SideBySide.StartAsync();
        await _scene.SeedAsync("team/sets", Files);
    }

    public async Task DisposeAsync() => await _scene.DisposeAsync();

    [Fact]
    public void Pull_and_fetch_bring_the_same_objects_as_git_lfs_for_the_same_patterns()
    {
        foreach (var (name, arguments) in new (string, string[])[]
        {
            ("train", ["--include", "data/train"]),
            ("globs", ["-I", "*.bin", "-X", "models/**,data/test"]),
            ("basename", ["--include", "train"]),
        })
        {
            var lfs = _scene.CloneWithoutData(_scene.Lfs, "team/sets", "lfs-" + name);
            var storage = _scene.CloneWithoutData(_scene.Storage, "team/sets", "storage-" + name);
            _scene.Lfs.Run(lfs, ["lfs", "pull", .. arguments]);
            _scene.Storage.Run(storage, ["storage", "pull", .. arguments]);

            Assert.Equal(SideBySide.CachedObjects(lfs), SideBySide.CachedObjects(storage));
            var dataLfs = SideBySide.DataFiles(lfs, Files.Keys);
            Assert.Equal(dataLfs, SideBySide.DataFiles(storage, Files.Keys));
            Assert.NotEmpty(dataLfs);
            Assert.NotEqual(Files.Count, dataLfs.Count); // the patterns did leave something out
            Assert.Empty(_scene.Storage.Run(storage, "status", "--porcelain").Output);
        }
        Assert.Equal(new[] { "a.bin", "b.bin", "notes.bin" }, SideBySide.DataFiles(_scene.Storage.PathOf("storage-basename"), Files.Keys).Select(p => Path.GetFileName(p)).ToArray());
    }

    [Fact]
    public void Configured_fetchinclude_and_fetchexclude_apply_to_fetch_and_to_a_clone_as_with_git_lfs()
    {
        var lfs = _scene.CloneWithoutData(_scene.Lfs, "team/sets", "lfs-config");
        var storage = _scene.CloneWithoutData(_scene.Storage, "team/sets", "storage-config");
        foreach (var (user, repo) in new[] { (_scene.Lfs, lfs), (_scene.Storage, storage) })
        {
            user.Run(repo, "config", "lfs.fetchinclude", "data,models");
            user.Run(repo, "config", "lfs.fetchexclude", "data/test");
        }
        _scene.Lfs.Run(lfs, "lfs", "fetch");
        _scene.Storage.Run(storage, "storage", "fetch");
        var fetched = SideBySide.CachedObjects(lfs);
        Assert.Equal(fetched, SideBySide.CachedObjects(storage));
        Assert.Equal(4, fetched.Count);

        // A CI job's clone with the exclude in place: the filter leaves excluded paths as pointers.
        var ciLfs = _scene.Lfs.PathOf("lfs-ci");
        var ciStorage = _scene.Storage.PathOf("storage-ci");
        _scene.Lfs.Run(_scene.Lfs.Root, "clone", "-q", "-c", "lfs.fetchexclude=models,data/train/deep", _scene.Url("team/sets"), ciLfs);
        _scene.Storage.Run(_scene.Storage.Root, "clone", "-q", "-c", "lfs.fetchexclude=models,data/train/deep", _scene.Url("team/sets"), ciStorage);
        Assert.Equal(SideBySide.DataFiles(ciLfs, Files.Keys), SideBySide.DataFiles(ciStorage, Files.Keys));
        Assert.Equal(new[] { "data/test/c.bin", "data/train/a.bin" }, SideBySide.DataFiles(ciStorage, Files.Keys).ToArray());
        Assert.Equal(SideBySide.CachedObjects(ciLfs), SideBySide.CachedObjects(ciStorage));
    }
}
