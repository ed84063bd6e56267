using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Scenarios;

/// <summary>
/// The core promise, end to end: plain git and the stock git-lfs 3.3 client push to and clone
/// from one URL on StorageServer, over smart HTTP and the LFS API together.
/// </summary>
public sealed class GitLfsRoundTripTests(GitLfsRoundTripFixture fixture) : GitLfsRoundTripScenarios<GitLfsRoundTripFixture>(fixture);

/// <summary>The round-trip scenarios, run by a subclass per target (single node here, cluster in Cluster/).</summary>
public abstract class GitLfsRoundTripScenarios<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IDisposable
    where TFixture : GitLfsRoundTripFixture
{
    private readonly GitSandbox _user = new();

    [Fact]
    public void A_fresh_clone_has_every_file_intact_and_fsck_is_ok()
    {
        _user.StoreCredentials(fixture.Server.BaseUrl, fixture.ReaderToken, "reader");
        var clone = _user.PathOf("clone");
        _user.Run(_user.Root, "clone", fixture.RemoteUrl, clone);
        AssertFilesIntact(clone);
        Assert.Contains("Git LFS fsck OK", _user.Run(clone, "lfs", "fsck").Output, StringComparison.Ordinal);
        Assert.Empty(_user.Run(clone, "status", "--porcelain").Output.Trim());
    }

    [Fact]
    public void Skip_smudge_clone_then_lfs_pull_and_fetch_all_bring_the_data()
    {
        _user.StoreCredentials(fixture.Server.BaseUrl, fixture.ReaderToken, "reader");
        var clone = _user.PathOf("lazy");
        _user.Run(_user.Root, "-c", "filter.lfs.smudge=git-lfs smudge --skip -- %f", "-c", "filter.lfs.process=git-lfs filter-process --skip",
            "clone", fixture.RemoteUrl, clone);
        Assert.StartsWith("version https://git-lfs.github.com/spec/v1", File.ReadAllText(Path.Combine(clone, "models", "large.bin")), StringComparison.Ordinal);
        _user.Run(clone, "lfs", "fetch", "--all");
        _user.Run(clone, "lfs", "pull");
        AssertFilesIntact(clone);
    }

    [Fact]
    public async Task Lfs_push_all_to_a_second_repo_uploads_everything_again_as_proof_of_possession()
    {
        var second = "team/copy";
        await fixture.Server.CreateRepoAsync(second);
        var token = await fixture.Server.CreateTokenAsync("carol", new Dictionary<string, string> { [GitLfsRoundTripFixture.Repo] = "read", [second] = "write" });
        _user.StoreCredentials(fixture.Server.BaseUrl, token, "carol");
        var clone = _user.PathOf("copy");
        _user.Run(_user.Root, "clone", fixture.RemoteUrl, clone);
        _user.Run(clone, "remote", "add", "copy", $"{fixture.Server.BaseUrl}/{second}.git");
        // The objects exist on the server already, but team/copy must send the bytes to claim
        // them; had the server skipped the upload, the clone below could not download them.
        _user.Run(clone, "lfs", "push", "--all", "copy");
        _user.Run(clone, "push", "copy", "main");

        using var other = new GitSandbox();
        other.StoreCredentials(fixture.Server.BaseUrl, token, "carol");
        var copyClone = other.PathOf("copy-clone");
        other.Run(other.Root, "clone", $"{fixture.Server.BaseUrl}/{second}.git", copyClone);
        AssertFilesIntact(copyClone);
    }

    [Fact]
    public void A_read_only_token_can_clone_but_not_push()
    {
        _user.StoreCredentials(fixture.Server.BaseUrl, fixture.ReaderToken, "reader");
        var clone = _user.PathOf("ro");
        _user.Run(_user.Root, "clone", fixture.RemoteUrl, clone);
        TestFiles.Write(Path.Combine(clone, "new.bin"), 1000, seed: 99);
        _user.Run(clone, "add", "new.bin");
        _user.Run(clone, "commit", "-m", "try");
        var push = _user.TryRun(clone, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.True(push.Error.Contains("403", StringComparison.Ordinal) || push.Error.Contains("does not allow", StringComparison.Ordinal), push.Error);
        Assert.DoesNotContain(_user.Run(clone, "rev-parse", "HEAD").Output.Trim(), _user.Run(clone, "ls-remote", "origin", "main").Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_of_another_repo_sees_nothing()
    {
        await fixture.Server.CreateRepoAsync("other/repo");
        var token = await fixture.Server.CreateTokenAsync("mallory", new Dictionary<string, string> { ["other/repo"] = "admin" });
        _user.StoreCredentials(fixture.Server.BaseUrl, token, "mallory");
        var clone = _user.TryRun(_user.Root, "clone", fixture.RemoteUrl, _user.PathOf("nothing"));
        Assert.NotEqual(0, clone.ExitCode);
        Assert.Contains("not found", clone.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_wrong_password_is_refused()
    {
        _user.StoreCredentials(fixture.Server.BaseUrl, "ss_pat_wrong", "alice");
        var clone = _user.TryRun(_user.Root, "clone", fixture.RemoteUrl, _user.PathOf("denied"));
        Assert.NotEqual(0, clone.ExitCode);
        Assert.Contains("Authentication failed", clone.Error, StringComparison.Ordinal);
    }

    private void AssertFilesIntact(string clone)
    {
        foreach (var (path, hash) in fixture.Hashes)
        {
            Assert.True(hash == TestFiles.Sha256(Path.Combine(clone, path)), $"{path} differs after the round trip");
        }
    }

    public void Dispose()
    {
        _user.Dispose();
        GC.SuppressFinalize(this);
    }
}
