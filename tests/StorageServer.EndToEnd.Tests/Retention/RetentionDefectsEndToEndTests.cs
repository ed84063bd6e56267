using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Retention;

/// <summary>
/// Regression tests for the four defects of issue #10, as a user meets them: after a mark and a
/// sweep, a clone of what git still names must check out every large file (git-lfs downloads and
/// verifies each one). Each was seen failing before its fix.
/// </summary>
public sealed class RetentionDefectsEndToEndTests(RetentionDefectsFixture fixture) : IClassFixture<RetentionDefectsFixture>
{
    private GitSandbox Git => fixture.Git;

    [Fact]
    public void A_branch_and_a_tag_with_a_slash_in_their_names_are_protected_by_default()
    {
        var branch = fixture.Clone(RetentionDefectsFixture.Slash, "slash-branch", "feature/x");
        Assert.Equal(fixture.Expected["feature"], TestFiles.Sha256(Path.Combine(branch, "feature.bin")));
        Git.Run(branch, "lfs", "fsck");

        var tag = fixture.Clone(RetentionDefectsFixture.Slash, "slash-tag");
        Git.Run(tag, "checkout", "-q", "releases/v1");
        Assert.Equal(fixture.Expected["release"], TestFiles.Sha256(Path.Combine(tag, "release.bin")));
        Git.Run(tag, "lfs", "fsck");
    }

    [Fact]
    public void A_tag_of_a_tag_protects_its_commit()
    {
        var w = fixture.Clone(RetentionDefectsFixture.Tags, "tags-clone");
        Git.Run(w, "checkout", "-q", "v1-signed");
        Assert.Equal(fixture.Expected["v1"], TestFiles.Sha256(Path.Combine(w, "model.bin")));
        Git.Run(w, "lfs", "fsck");
    }

    [Fact]
    public void A_path_scoped_policy_does_not_delete_the_same_bytes_at_a_path_outside_its_scope()
    {
        var w = fixture.Clone(RetentionDefectsFixture.Paths, "paths-clone");
        Git.Run(w, "checkout", "-q", "HEAD~1");
        Assert.Equal(fixture.Expected["keep"], TestFiles.Sha256(Path.Combine(w, "keep", "a.bin")));
    }

    [Fact]
    public void A_ref_scoped_policy_does_not_delete_history_that_another_ref_keeps()
    {
        var w = fixture.Clone(RetentionDefectsFixture.Scratch, "scratch-clone");
        Git.Run(w, "checkout", "-q", "HEAD~1");
        Assert.Equal(fixture.Expected["main-history"], TestFiles.Sha256(Path.Combine(w, "data.bin")));
    }

    [Fact]
    public void A_non_canonical_pointer_that_git_lfs_follows_keeps_its_object()
    {
        var w = fixture.Clone(RetentionDefectsFixture.Crlf, "crlf-clone");
        Assert.Equal(fixture.Expected["crlf"], TestFiles.Sha256(Path.Combine(w, "data", "x.bin")));
        Assert.Contains(fixture.Expected["crlf"], Git.Run(w, "lfs", "ls-files", "--long").Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("canonical", "\n", "{0}")]
    [InlineData("crlf", "\r\n", "{0}")]
    [InlineData("plus-size", "\n", "+{0}")]
    public void A_pushed_pointer_to_a_missing_object_is_refused_however_it_is_written(string name, string newline, string sizeFormat)
    {
        var w = fixture.Clone(RetentionDefectsFixture.Refused, "refused-" + name);
        var oid = TestFiles.Sha256(System.Text.Encoding.UTF8.GetBytes("never uploaded " + name));
        var size = string.Format(System.Globalization.CultureInfo.InvariantCulture, sizeFormat, 1234);
        var pointer = Git.PathOf($"pointer-{name}.txt");
        File.WriteAllText(pointer, $"version https://git-lfs.github.com/spec/v1{newline}oid sha256:{oid}{newline}size {size}{newline}");
        var blob = Git.Run(w, "hash-object", "-w", "--no-filters", pointer).Output.Trim();
        Git.Run(w, "update-index", "--add", "--cacheinfo", $"100644,{blob},missing/{name}.bin");
        Git.Run(w, "commit", "-q", "-m", "points at nothing");

        var push = Git.TryRun(w, "push", "--no-verify", "origin", "main");

        Assert.False(push.Succeeded, $"push of a {name} pointer to a missing object was accepted: {push.Error}");
        Assert.Contains($"missing: missing/{name}.bin (sha256:{oid}", push.Error, StringComparison.Ordinal);
    }
}
