namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// <c>migrate import</c>/<c>export</c> rewrite history into exactly the commits <c>git lfs migrate</c>
/// makes of the same repository (branches, merges, tags, a deleted .gitattributes, files a commit
/// inherits from an already pushed parent), and the imported history pushes to the real server
/// and clones with git-lfs intact.
/// </summary>
public sealed class MigrateSideBySideTests : IAsyncLifetime
{
    private SideBySide _scene = null!;

    public async Task InitializeAsync() => _scene = await SideBySide.StartAsync();

    public async Task DisposeAsync() => await _scene.DisposeAsync();

    /// <summary>A plain-git history, large files committed as blobs, with a pushed first commit.</summary>
    private async Task<string> HistoryAsync()
    {
        await _scene.Server.CreateRepoAsync("team/legacy");
        var git = _scene.Storage;
        var repo = git.PathOf("legacy");
        git.Run(git.Root, "clone", "-q", _scene.Url("team/legacy"), repo);
        TestFiles.Write(Path.Combine(repo, "old.bin"), 30_000, 1);
        File.WriteAllText(Path.Combine(repo, ".gitattributes"), "*.txt text");
        File.WriteAllText(Path.Combine(repo, "notes.txt"), "notes\n");
        git.Run(repo, "add", "-A");
        git.Run(repo, "commit", "-qm", "pushed before the migration");
        git.Run(repo, "push", "-q", "origin", "main");
        TestFiles.Write(Path.Combine(repo, "data", "train set.bin"), 20_000, 2);
        TestFiles.Write(Path.Combine(repo, "keep", "small.bin"), 300, 3);
        git.Run(repo, "add", "-A");
        git.Run(repo, "commit", "-qm", "data");
        git.Run(repo, "tag", "-a", "v1", "-m", "first release");
        git.Run(repo, "checkout", "-q", "-b", "side");
        TestFiles.Write(Path.Combine(repo, "side.bin"), 10_000, 4);
        File.SetUnixFileMode(Path.Combine(repo, "side.bin"), File.GetUnixFileMode(Path.Combine(repo, "side.bin")) | UnixFileMode.UserExecute);
        git.Run(repo, "add", "-A");
        git.Run(repo, "commit", "-qm", "side work");
        git.Run(repo, "checkout", "-q", "main");
        TestFiles.Write(Path.Combine(repo, "old.bin"), 31_000, 5);
        git.Run(repo, "commit", "-qam", "retrain");
        git.Run(repo, "merge", "-q", "--no-edit", "side");
        git.Run(repo, "rm", "-q", ".gitattributes");
        git.Run(repo, "commit", "-qm", "drop attributes");
        return repo;
    }

    private string Refs(GitSandbox user, string repo) =>
        user.Run(repo, "for-each-ref", "--format=%(refname) %(objectname:short=12) %(*objectname:short=12)", "refs/heads", "refs/tags").Output;

    [Fact]
    public async Task Import_and_export_give_the_commits_git_lfs_migrate_gives_and_the_result_clones_with_git_lfs()
    {
        var repo = await HistoryAsync();
        var lfs = SideBySide.Copy(repo, _scene.Lfs.PathOf("legacy-lfs"));
        var storage = SideBySide.Copy(repo, _scene.Storage.PathOf("legacy-storage"));
        var before = Refs(_scene.Storage, repo);

        foreach (var scope in new[] { new[] { "--everything" }, ["--include-ref=refs/heads/side"] })
        {
            _scene.Lfs.Run(lfs, ["lfs", "migrate", "import", "--include=*.bin", "--exclude=keep/**", "--yes", .. scope]);
            _scene.Storage.Run(storage, ["storage", "migrate", "import", "--include=*.bin", "--exclude=keep/**", "--yes", .. scope]);
            Assert.Equal(TipsAndPeeledTags(_scene.Lfs, lfs), TipsAndPeeledTags(_scene.Storage, storage));
        }
        Assert.NotEqual(before, Refs(_scene.Storage, storage));
        Assert.Equal(string.Empty, _scene.Storage.Run(storage, "status", "--porcelain").Output);
        Assert.Equal(TestFiles.Sha256(Path.Combine(repo, "old.bin")), TestFiles.Sha256(Path.Combine(storage, "old.bin")));
        Assert.Contains("*.bin filter=lfs diff=lfs merge=lfs -text\nkeep/** !text -filter -merge -diff\n", _scene.Storage.Run(storage, "show", "HEAD:.gitattributes").Output, StringComparison.Ordinal);
        Assert.Contains("Git LFS fsck OK", _scene.Storage.Run(storage, "storage", "fsck").Output, StringComparison.Ordinal);

        // The rewritten history goes to a fresh repository and comes back through git-lfs intact.
        await _scene.Server.CreateRepoAsync("team/migrated");
        _scene.Storage.Run(storage, "push", "-q", _scene.Url("team/migrated"), "main", "side", "v1");
        var clone = _scene.Lfs.PathOf("migrated-clone");
        _scene.Lfs.Run(_scene.Lfs.Root, "clone", "-q", _scene.Url("team/migrated"), clone);
        Assert.Equal(TestFiles.Sha256(Path.Combine(repo, "data", "train set.bin")), TestFiles.Sha256(Path.Combine(clone, "data", "train set.bin")));
        Assert.False(TestFiles.IsPointer(Path.Combine(clone, "side.bin")));

        _scene.Lfs.Run(lfs, "lfs", "migrate", "export", "--include=*.bin", "--everything", "--yes");
        _scene.Storage.Run(storage, "storage", "migrate", "export", "--include=*.bin", "--everything", "--yes");
        Assert.Equal(TipsAndPeeledTags(_scene.Lfs, lfs), TipsAndPeeledTags(_scene.Storage, storage));
        Assert.False(TestFiles.IsPointer(Path.Combine(storage, "old.bin")));
        Assert.Equal(30_000, _scene.Storage.Run(storage, "cat-file", "-s", "v1:old.bin").Output.Trim() is var size ? int.Parse(size, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    [Fact]
    public async Task Import_by_default_rewrites_only_unpushed_commits_converting_what_they_inherit()
    {
        var repo = await HistoryAsync();
        var lfs = SideBySide.Copy(repo, _scene.Lfs.PathOf("unpushed-lfs"));
        var storage = SideBySide.Copy(repo, _scene.Storage.PathOf("unpushed-storage"));
        var pushed = _scene.Storage.Run(repo, "rev-parse", "origin/main").Output.Trim();

        _scene.Lfs.Run(lfs, "lfs", "migrate", "import", "--include=*.bin");
        _scene.Storage.Run(storage, "storage", "migrate", "import", "--include=*.bin");

        Assert.Equal(TipsAndPeeledTags(_scene.Lfs, lfs), TipsAndPeeledTags(_scene.Storage, storage));
        Assert.Equal(pushed, _scene.Storage.Run(storage, "rev-parse", "origin/main").Output.Trim());
        Assert.Equal(pushed, _scene.Storage.Run(storage, "rev-list", "--max-parents=0", "HEAD").Output.Trim());
        // As with git-lfs, the merged branch and the tag move with the commits they name.
        Assert.NotEqual(_scene.Storage.Run(repo, "rev-parse", "side").Output, _scene.Storage.Run(storage, "rev-parse", "side").Output);
    }

    /// <summary>Branch tips, and tags by the commit they name (git-lfs drops a tag message's final newline; we keep it).</summary>
    private static string TipsAndPeeledTags(GitSandbox user, string repo) =>
        user.Run(repo, "for-each-ref", "--format=%(refname) %(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)", "refs/heads", "refs/tags").Output;
}
