namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// The inspection and housekeeping commands next to git-lfs's on the same repository:
/// <c>ls-files</c>, <c>fsck</c>, <c>checkout</c>, <c>untrack</c> and <c>status</c>.
/// </summary>
public sealed class InspectionSideBySideTests : IAsyncLifetime
{
    private static readonly Dictionary<string, long> Files = new()
    {
        ["a.bin"] = 12_000,
        ["data/b.bin"] = 100,
        ["data/c.bin"] = 2_500_000,
    };

    private SideBySide _scene = null!;

    public async Task InitializeAsync()
    {
        _scene = await SideBySide.StartAsync();
        var seed = await _scene.SeedAsync("team/look", Files);
        TestFiles.Write(Path.Combine(seed, "a.bin"), 13_000, 9);
        _scene.Storage.Run(seed, "commit", "-qam", "a v2");
        _scene.Storage.Run(seed, "push", "-q", "origin", "main");
    }

    public async Task DisposeAsync() => await _scene.DisposeAsync();

    private static string[] Lines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    [Fact]
    public void Ls_files_fsck_checkout_and_untrack_agree_with_git_lfs()
    {
        var lfs = _scene.CloneWithoutData(_scene.Lfs, "team/look", "look-lfs");
        var storage = _scene.CloneWithoutData(_scene.Storage, "team/look", "look-storage");
        _scene.Lfs.Run(lfs, "lfs", "fetch");
        _scene.Storage.Run(storage, "storage", "fetch");

        // checkout: only what the paths name, from the cache, nothing downloaded.
        _scene.Lfs.Run(Path.Combine(lfs, "data"), "lfs", "checkout", "c.bin");
        _scene.Storage.Run(Path.Combine(storage, "data"), "storage", "checkout", "c.bin");
        Assert.Equal(new[] { "data/c.bin" }, SideBySide.DataFiles(storage, Files.Keys).ToArray());
        Assert.Equal(SideBySide.DataFiles(lfs, Files.Keys), SideBySide.DataFiles(storage, Files.Keys));

        foreach (var arguments in new[] { new[] { "ls-files" }, ["ls-files", "--long", "--size"], ["ls-files", "--all", "--long"], ["ls-files", "--name-only"], ["ls-files", "HEAD~1", "-s"] })
        {
            Assert.Equal(Lines(_scene.Lfs.Run(lfs, ["lfs", .. arguments]).Output), Lines(_scene.Storage.Run(storage, ["storage", .. arguments]).Output));
        }
        _scene.Lfs.Run(lfs, "lfs", "checkout");
        _scene.Storage.Run(storage, "storage", "checkout");
        Assert.Equal(Files.Keys.Order(StringComparer.Ordinal), SideBySide.DataFiles(storage, Files.Keys));
        Assert.Equal(string.Empty, _scene.Storage.Run(storage, "status", "--porcelain").Output);

        // fsck: a corrupt object (moved to .git/lfs/bad), a missing one, a pointer that is not canonical,
        // a tracked file committed as plain data. Same findings, same exit status.
        foreach (var (user, repo) in new[] { (_scene.Lfs, lfs), (_scene.Storage, storage) })
        {
            Damage(user, repo);
        }
        var corrupt = OidAt(_scene.Storage, storage, "a.bin");
        foreach (var arguments in new[] { new[] { "fsck" }, ["fsck", "--pointers"], ["fsck", "--objects"] })
        {
            var expected = _scene.Lfs.TryRun(lfs, ["lfs", .. arguments]);
            var actual = _scene.Storage.TryRun(storage, ["storage", .. arguments]);
            Assert.Equal(expected.ExitCode == 0, actual.ExitCode == 0);
            Assert.Equal(Findings(_scene.Lfs, expected.Output, lfs), Findings(_scene.Storage, actual.Output, storage));
        }
        Assert.Equal(new[] { corrupt }, Directory.GetFiles(Path.Combine(lfs, ".git", "lfs", "bad")).Select(f => Path.GetFileName(f)).ToArray());
        Assert.Equal(new[] { corrupt }, Directory.GetFiles(Path.Combine(storage, ".git", "lfs", "bad")).Select(f => Path.GetFileName(f)).ToArray());

        foreach (var (user, repo, client) in new[] { (_scene.Lfs, lfs, "lfs"), (_scene.Storage, storage, "storage") })
        {
            File.AppendAllText(Path.Combine(repo, ".gitattributes"), "# art\n*.psd filter=lfs diff=lfs merge=lfs -text\n*.tga filter=lfs diff=lfs merge=lfs -text\n");
            user.Run(repo, client, "untrack", "*.psd");
        }
        Assert.Equal(File.ReadAllText(Path.Combine(lfs, ".gitattributes")), File.ReadAllText(Path.Combine(storage, ".gitattributes")));
    }

    private static string OidAt(GitSandbox user, string repo, string path) =>
        user.Run(repo, "show", "HEAD:" + path).Output.Split('\n').Single(l => l.StartsWith("oid sha256:", StringComparison.Ordinal))["oid sha256:".Length..];

    /// <summary>
    /// Corrupts a.bin's object and deletes data/b.bin's, removing both files from the work tree (so
    /// no index refresh can clean them back into the cache), then commits two bad blobs.
    /// </summary>
    private static void Damage(GitSandbox user, string repo)
    {
        var cache = Path.Combine(repo, ".git", "lfs", "objects");
        var corrupt = OidAt(user, repo, "a.bin");
        var missing = OidAt(user, repo, "data/b.bin");
        File.WriteAllText(Path.Combine(cache, corrupt[..2], corrupt[2..4], corrupt), "junk");
        File.Delete(Path.Combine(cache, missing[..2], missing[2..4], missing));
        File.Delete(Path.Combine(repo, "a.bin"));
        File.Delete(Path.Combine(repo, "data", "b.bin"));
        var nonCanonical = user.TryRunWithInput(repo, "version https://git-lfs.github.com/spec/v1\noid sha256:" + new string('b', 64) + "\nsize 5\n\n", "hash-object", "-w", "--stdin").Output.Trim();
        var plain = user.TryRunWithInput(repo, "plain bytes\n", "hash-object", "-w", "--stdin").Output.Trim();
        user.Run(repo, "update-index", "--add", "--cacheinfo", $"100644,{nonCanonical},odd.bin");
        user.Run(repo, "update-index", "--add", "--cacheinfo", $"100644,{plain},plain.bin");
        user.Run(repo, "commit", "-qm", "damage");
    }

    /// <summary>fsck's findings, with the repository's path and its own last commit id (the copies committed separately) taken out.</summary>
    private static string[] Findings(GitSandbox user, string output, string repo) =>
        Lines(output.Replace(repo, "<repo>", StringComparison.Ordinal).Replace(user.Run(repo, "rev-parse", "HEAD").Output.Trim(), "<HEAD>", StringComparison.Ordinal));

    [Fact]
    public void Status_shows_staged_and_unstaged_large_file_changes_and_no_empty_sections()
    {
        var repo = _scene.Storage.PathOf("status");
        _scene.Storage.Run(_scene.Storage.Root, "clone", "-q", _scene.Url("team/look"), repo);
        var clean = _scene.Storage.Run(repo, "storage", "status").Output;
        Assert.Equal("On branch main\nNothing to push or commit; every large file holds its data.\n", clean);

        var before = _scene.Storage.Run(repo, "storage", "ls-files", "-l").Output.Split('\n').First(l => l.EndsWith(" a.bin", StringComparison.Ordinal))[..7];
        var newOid = TestFiles.Sha256(TestFiles.Write(Path.Combine(repo, "new.bin"), 3_000, 31));
        var changed = TestFiles.Sha256(TestFiles.Write(Path.Combine(repo, "a.bin"), 3_100, 32));
        _scene.Storage.Run(repo, "add", "new.bin", "a.bin");
        var edited = TestFiles.Sha256(TestFiles.Write(Path.Combine(repo, "data", "b.bin"), 150, 33));
        var status = _scene.Storage.Run(repo, "storage", "status").Output;

        Assert.Contains($"Objects to be committed:\n\n\ta.bin (LFS: {before} -> LFS: {changed[..7]})\n\tnew.bin (LFS: {newOid[..7]})\n\n", status, StringComparison.Ordinal);
        Assert.Contains($"Objects not staged for commit:\n\n\tdata/b.bin (LFS: ", status, StringComparison.Ordinal);
        Assert.Contains($" -> File: {edited[..7]})\n", status, StringComparison.Ordinal);
        Assert.DoesNotContain("to be pushed", status, StringComparison.Ordinal);
        Assert.DoesNotContain(":\n\n\n", status, StringComparison.Ordinal);

        _scene.Storage.Run(repo, "commit", "-qm", "changes");
        Assert.Contains($"Objects to be pushed to origin:\n\n\ta.bin ({changed[..7]}, 3.1 KB)\n\tnew.bin ({newOid[..7]}, 3.0 KB)\n", _scene.Storage.Run(repo, "storage", "status").Output, StringComparison.Ordinal);
        var lfsStatus = _scene.Lfs.Run(SideBySide.Copy(repo, _scene.Lfs.PathOf("status-lfs")), "lfs", "status").Output;
        Assert.Contains("new.bin", lfsStatus, StringComparison.Ordinal);
    }
}
