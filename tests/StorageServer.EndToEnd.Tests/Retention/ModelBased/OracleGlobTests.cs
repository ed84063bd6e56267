namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>The oracle's glob matcher against the examples the spec and the README give.</summary>
public sealed class OracleGlobTests
{
    [Theory]
    [InlineData("refs/heads/**", "refs/heads/main", true)]
    [InlineData("refs/heads/**", "refs/heads/feature/x", true)]
    [InlineData("refs/heads/**", "refs/heads", false)]
    [InlineData("refs/heads/*", "refs/heads/main", true)]
    [InlineData("refs/heads/*", "refs/heads/feature/x", false)]
    [InlineData("refs/tags/**", "refs/tags/releases/2024/rc1", true)]
    [InlineData("refs/heads/scratch*", "refs/heads/scratch-1", true)]
    [InlineData("refs/heads/scratch*", "refs/heads/scratch/x", false)]
    [InlineData("refs/heads/team/*/b", "refs/heads/team/a/b", true)]
    [InlineData("refs/heads/team/*/b", "refs/heads/team/a/c/b", false)]
    [InlineData("refs/heads/a/**/b", "refs/heads/a/b", true)]
    [InlineData("refs/heads/a/**/b", "refs/heads/a/x/y/b", true)]
    [InlineData("refs/heads/feat**", "refs/heads/feature/x/y", true)]
    [InlineData("refs/heads/v?", "refs/heads/v1", true)]
    [InlineData("refs/heads/v?", "refs/heads/v/", false)]
    [InlineData("refs/heads/main", "refs/heads/main2", false)]
    [InlineData("refs/heads/ma.n", "refs/heads/main", false)]
    public void Ref_globs_follow_the_spec(string glob, string refName, bool matches) =>
        Assert.Equal(matches, OracleGlob.MatchesRef(glob, refName));

    [Theory]
    [InlineData("*.bin", "scratch/deep/y.bin", true)]
    [InlineData("w.bin", "models/v1/w.bin", true)]
    [InlineData("*.dat", "keep/a.dat", true)]
    [InlineData("scratch/**", "scratch/x.bin", true)]
    [InlineData("scratch/**", "scratch/deep/y.bin", true)]
    [InlineData("scratch/**", "keep/scratch/x.bin", false)]
    [InlineData("data/*.bin", "data/a.bin", true)]
    [InlineData("data/*.bin", "data/sub/a.bin", false)]
    [InlineData("**/deep/*.bin", "scratch/deep/y.bin", true)]
    [InlineData("**/deep/*.bin", "deep/y.bin", true)]
    [InlineData("data/a.bin", "x/data/a.bin", false)]
    public void Path_globs_follow_the_readme(string glob, string path, bool matches) =>
        Assert.Equal(matches, OracleGlob.MatchesPath(glob, path));
}
