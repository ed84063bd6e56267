using GitHooks.Filtering;

namespace GitHooks.Tests.Unit;

/// <summary>git-lfs's two pattern flavours: gitignore style for fetch/pull/ls-files, gitattributes style for migrate.</summary>
public sealed class PathFilterTests
{
    [Theory]
    [InlineData("data/train", "data/train/a.bin", true)]
    [InlineData("data/train", "data/training/a.bin", false)]
    [InlineData("data/train", "x/data/train/a.bin", false)]
    [InlineData("train", "models/train/notes.bin", true)]
    [InlineData("*.bin", "deep/down/a.bin", true)]
    [InlineData("*.bin", "a.binx", false)]
    [InlineData("/models/*.pt", "models/m.pt", true)]
    [InlineData("/models/*.pt", "models/sub/m.pt", false)]
    [InlineData("models/**", "models/sub/m.pt", true)]
    [InlineData("data/", "data/a.bin", true)]
    [InlineData("data/", "data", false)]
    [InlineData("**/cache/*.tmp", "a/b/cache/x.tmp", true)]
    [InlineData("img[0-9].png", "art/img7.png", true)]
    [InlineData(".", "anything/at/all", true)]
    public void Gitignore_patterns_match_a_path_or_any_of_its_directories(string pattern, string path, bool expected) =>
        Assert.Equal(expected, PathPattern.GitIgnore(pattern).Matches(path));

    [Theory]
    [InlineData("*.bin", "deep/a.bin", true)]
    [InlineData("keep/**", "keep/k.bin", true)]
    [InlineData("keep/**", "other/keep/k.bin", false)]
    [InlineData("data/*.bin", "data/sub/a.bin", false)]
    [InlineData("train", "data/train/a.bin", false)]
    public void Gitattributes_patterns_match_the_file_name_or_the_whole_path(string pattern, string path, bool expected) =>
        Assert.Equal(expected, PathPattern.GitAttributes(pattern).Matches(path));

    [Fact]
    public void Command_line_patterns_replace_the_configured_ones_and_an_empty_flag_clears_them()
    {
        var config = new GitHooks.Api.GitConfig([new("lfs.fetchinclude", "data"), new("lfs.fetchexclude", "data/test,*.tmp")]);
        var configured = PathFilter.FromConfig(config);
        Assert.True(configured.Allows("data/train/a.bin"));
        Assert.False(configured.Allows("data/test/a.bin"));
        Assert.False(configured.Allows("models/m.bin"));

        var flags = PathFilter.FromConfig(config, ["models"], [""]);
        Assert.True(flags.Allows("models/m.bin"));
        Assert.False(flags.Allows("data/train/a.bin"));
        Assert.True(flags.Allows("models/x.tmp"));
    }
}
