using StorageServer.Globs;

namespace StorageServer.Tests.Globs;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("*.csv", "a.csv", true)]
    [InlineData("*.csv", "data/deep/a.csv", true)]
    [InlineData("*.csv", "a.csv.bak", false)]
    [InlineData("data/*.csv", "data/a.csv", true)]
    [InlineData("data/*.csv", "data/x/a.csv", false)]
    [InlineData("data/**", "data/x/y/a.bin", true)]
    [InlineData("data/**", "database/a.bin", false)]
    [InlineData("data/", "data/x/a.bin", true)]
    [InlineData("/data/**/a.bin", "data/a.bin", true)]
    [InlineData("data/**/a.bin", "data/x/y/a.bin", true)]
    [InlineData("data/**/a.bin", "other/data/a.bin", false)]
    [InlineData("data/customers/c-42/**", "data/customers/c-42/orders.csv", true)]
    [InlineData("data/customers/c-42/**", "data/customers/c-421/orders.csv", false)]
    [InlineData("model-?.bin", "model-1.bin", true)]
    [InlineData("model-?.bin", "model-12.bin", false)]
    [InlineData("refs/heads/*", "refs/heads/main", true)]
    [InlineData("refs/heads/*", "refs/heads/feature/x", false)]
    [InlineData("refs/heads/**", "refs/heads/feature/x", true)]
    [InlineData("refs/tags/v1.*", "refs/tags/v1.2", true)]
    [InlineData("a+b(c).bin", "a+b(c).bin", true)]
    [InlineData("a+b(c).bin", "aab(c).bin", false)]
    public void Matches_like_gitattributes(string pattern, string path, bool expected) =>
        Assert.Equal(expected, PathGlob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    public void Rejects_unusable_patterns(string pattern)
    {
        Assert.False(PathGlob.TryParse(pattern, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<FormatException>(() => PathGlob.Parse(pattern));
    }
}
