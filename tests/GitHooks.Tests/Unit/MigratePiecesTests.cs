using GitHooks.Migrate;

namespace GitHooks.Tests.Unit;

/// <summary>The parts of migrate that must match git-lfs byte for byte: .gitattributes lines and quoted paths.</summary>
public sealed class MigratePiecesTests
{
    [Fact]
    public void Import_appends_git_lfs_lines_once_after_a_missing_final_newline()
    {
        var editor = AttributesEditor.For(import: true, ["*.bin", "my file.psd"], ["keep/**"]);
        Assert.Equal("*.txt text\n*.bin filter=lfs diff=lfs merge=lfs -text\nmy[[:space:]]file.psd filter=lfs diff=lfs merge=lfs -text\nkeep/** !text -filter -merge -diff\n",
            editor.Edit("*.txt text"));
        var once = editor.Edit(string.Empty);
        Assert.Equal(once, editor.Edit(once));
        Assert.Equal("*.bin filter=lfs diff=lfs merge=lfs -text\n*.bin  filter=lfs\n", AttributesEditor.For(true, ["*.bin"], []).Edit("*.bin filter=lfs diff=lfs merge=lfs -text\n*.bin  filter=lfs\n"));
    }

    [Fact]
    public void Export_untracks_the_included_and_keeps_the_excluded_tracked()
    {
        Assert.Equal("*.bin !text !filter !merge !diff\nkeep/** filter=lfs diff=lfs merge=lfs -text\n",
            AttributesEditor.For(import: false, ["*.bin"], ["keep/**"]).Edit(string.Empty));
    }

    [Theory]
    [InlineData("plain/path.bin")]
    [InlineData("with space.bin")]
    [InlineData("quote\"and\\back.bin")]
    [InlineData("tab\there.bin")]
    [InlineData("café/naïve ✓.bin")]
    public void Paths_survive_quoting_for_fast_import_and_unquoting_from_fast_export(string path)
    {
        var quoted = GitPathQuoting.Quote(path);
        Assert.True(quoted.All(c => c <= '~'), "fast-import gets plain ASCII");
        Assert.Equal(path, StreamLines.PathOf(quoted));
    }
}
