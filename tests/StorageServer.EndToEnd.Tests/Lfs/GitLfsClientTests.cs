using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Lfs;

/// <summary>
/// The real git-lfs 3.3 client against the real server. Git smart HTTP is not part of this
/// branch, so git itself talks to a local bare repository and only LFS goes to the server
/// (<c>lfs.url</c>), which is exactly the split git-lfs makes anyway.
/// </summary>
public sealed class GitLfsClientTests(LfsServerFixture fixture) : GitLfsClientScenarios<LfsServerFixture>(fixture);

/// <summary>The git-lfs client scenarios, run by a subclass per target (single node here, cluster in Cluster/).</summary>
public abstract class GitLfsClientScenarios<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : LfsServerFixture
{
    private static readonly Dictionary<string, string> Trace = new() { ["GIT_CURL_VERBOSE"] = "1" };

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A work tree with every fixture file tracked by LFS and committed, its origin a bare repo.</summary>
    private static string CreatePushableRepo(GitSandbox git, string lfsUrl, string? sourceDir)
    {
        var bare = git.PathOf("remote.git");
        git.Run(git.Root, "init", "--bare", bare);
        var work = git.PathOf("work");
        Directory.CreateDirectory(work);
        git.Run(work, "init");
        git.Run(work, "config", "lfs.url", lfsUrl);
        git.Run(work, "lfs", "track", "*.bin");
        if (sourceDir is not null)
        {
            CopyTree(sourceDir, work);
        }
        else
        {
            TestFiles.Write(Path.Combine(work, "small.bin"), 1234, 42);
        }
        git.Run(work, "add", "-A");
        git.Run(work, "commit", "-q", "-m", "data");
        git.Run(work, "remote", "add", "origin", new Uri(bare).AbsoluteUri);
        return work;
    }

    private void AssertSameFiles(string checkout)
    {
        foreach (var (path, _) in LfsServerFixture.Files)
        {
            Assert.Equal(fixture.Hashes[path], TestFiles.Sha256(Path.Combine(checkout, path)));
        }
    }

    [Fact]
    public void Push_clone_fetch_pull_and_push_all_round_trip_every_file()
    {
        using var git = new GitSandbox();
        git.StoreCredentials(fixture.Server.BaseUrl, fixture.WriteToken, "alice");
        var work = CreatePushableRepo(git, fixture.LfsUrl(), fixture.SourceDir);
        var push = git.Run(work, "push", "origin", "main");
        Assert.Contains("Uploading LFS objects: 100% (4/4)", push.Error + push.Output, StringComparison.Ordinal); // the empty file is never sent

        // A fresh clone smudges every file through batch download + GET.
        var clone = git.PathOf("clone");
        git.Run(git.Root, "-c", $"lfs.url={fixture.LfsUrl()}", "clone", "-q", new Uri(git.PathOf("remote.git")).AbsoluteUri, clone);
        git.Run(clone, "config", "lfs.url", fixture.LfsUrl());
        AssertSameFiles(clone);
        Assert.Contains("Git LFS fsck OK", git.Run(clone, "lfs", "fsck").Output, StringComparison.Ordinal);

        // Drop the local objects, fetch everything again, then check out through `git lfs pull`.
        Directory.Delete(Path.Combine(clone, ".git", "lfs", "objects"), recursive: true);
        git.Run(clone, "lfs", "fetch", "--all");
        foreach (var (path, _) in LfsServerFixture.Files)
        {
            File.Delete(Path.Combine(clone, path));
        }
        git.Run(clone, "checkout", "--", ".");
        git.Run(clone, "lfs", "pull");
        AssertSameFiles(clone);
        Assert.Contains("Git LFS fsck OK", git.Run(clone, "lfs", "fsck").Output, StringComparison.Ordinal);

        // Everything is on the server already: push --all uploads nothing and succeeds.
        var pushAll = git.Run(clone, "lfs", "push", "--all", "origin");
        Assert.DoesNotContain("error", pushAll.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_read_only_token_cannot_push()
    {
        using var git = new GitSandbox();
        git.StoreCredentials(fixture.Server.BaseUrl, fixture.ReadToken, "bob");
        var work = CreatePushableRepo(git, fixture.LfsUrl("team/readonly"), null);
        var push = git.TryRun(work, Trace, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("< HTTP/1.1 403 Forbidden", push.Error, StringComparison.Ordinal);
        Assert.Contains("batch response: Your token does not allow this operation", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_password_fails_with_an_authentication_error()
    {
        using var git = new GitSandbox();
        git.StoreCredentials(fixture.Server.BaseUrl, "ss_wrong-password-0123456789", "mallory");
        var work = CreatePushableRepo(git, fixture.LfsUrl("team/readonly"), null);
        var push = git.TryRun(work, Trace, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        // The stored password is tried, refused with 401 + LFS-Authenticate, rejected from the store,
        // and with prompts disabled the client gives up asking for new credentials.
        Assert.Contains("< HTTP/1.1 401 Unauthorized", push.Error, StringComparison.Ordinal);
        Assert.Contains("< Lfs-Authenticate: Basic realm=\"StorageServer\"", push.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Git credentials for", push.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("< HTTP/1.1 200", push.Error, StringComparison.Ordinal);
    }
}
