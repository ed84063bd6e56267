using StorageServer.Globs;

namespace StorageServer.Tests.Globs;

/// <summary>Ref globs: full-name, ordinal matches where <c>*</c> stays in a segment and <c>**</c> crosses segments.</summary>
public sealed class RefGlobTests
{
    [Theory]
    [InlineData("refs/heads/**", "refs/heads/main", true)]
    [InlineData("refs/heads/**", "refs/heads/feature/x", true)]
    [InlineData("refs/heads/**", "refs/heads/a/b/c/d", true)]
    [InlineData("refs/heads/**", "refs/heads", false)]
    [InlineData("refs/heads/**", "refs/headsx/main", false)]
    [InlineData("refs/heads/**", "refs/tags/v1", false)]
    [InlineData("refs/tags/**", "refs/tags/releases/v1", true)]
    [InlineData("refs/heads/*", "refs/heads/main", true)]
    [InlineData("refs/heads/*", "refs/heads/feature/x", false)]
    [InlineData("refs/heads/scratch*", "refs/heads/scratch", true)]
    [InlineData("refs/heads/scratch*", "refs/heads/scratch-1", true)]
    [InlineData("refs/heads/scratch*", "refs/heads/scratch/1", false)]
    [InlineData("refs/heads/scratch**", "refs/heads/scratch/1", true)]
    [InlineData("refs/heads/**/x", "refs/heads/x", true)]
    [InlineData("refs/heads/**/x", "refs/heads/a/x", true)]
    [InlineData("refs/heads/**/x", "refs/heads/a/b/x", true)]
    [InlineData("refs/heads/**/x", "refs/heads/ax", false)]
    [InlineData("refs/heads/release/v?", "refs/heads/release/v2", true)]
    [InlineData("refs/heads/release/v?", "refs/heads/release/v10", false)]
    [InlineData("refs/heads/v?", "refs/heads/v/", false)]
    [InlineData("refs/heads/", "refs/heads/feature/x", true)]
    [InlineData("refs/heads/main", "refs/heads/main", true)]
    [InlineData("refs/heads/main", "refs/heads/main2", false)]
    [InlineData("refs/heads/main", "refs/heads/Main", false)]
    [InlineData("refs/heads/main", "xrefs/heads/main", false)]
    [InlineData("refs/heads/a.b", "refs/heads/axb", false)]
    [InlineData("refs/heads/[ab]", "refs/heads/[ab]", true)]
    [InlineData("refs/heads/[ab]", "refs/heads/a", false)]
    [InlineData("refs/**", "refs/pull/1/head", true)]
    public void Matches_full_ref_names_with_segment_aware_stars(string pattern, string reference, bool matches)
    {
        Assert.Equal(matches, RefGlob.Parse(pattern).IsMatch(reference));
    }

    [Theory]
    [InlineData("heads/main", "starts with refs/")]
    [InlineData("main", "starts with refs/")]
    [InlineData("/refs/heads/main", "starts with refs/")]
    [InlineData("refs/heads/ma in", "spaces")]
    [InlineData("refs//heads", "empty segments")]
    [InlineData("refs/heads/\n", "control characters")]
    [InlineData("", "1 to 1024")]
    public void Refuses_what_is_not_a_ref_glob_and_says_why(string pattern, string error)
    {
        Assert.False(RefGlob.TryParse(pattern, out _, out var message));
        Assert.Contains(error, message, StringComparison.Ordinal);
    }
}
