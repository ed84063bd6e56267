using StorageServer.Locks;

namespace StorageServer.Tests.Locks;

public sealed class LockPathsTests
{
    [Theory]
    [InlineData("a.psd")]
    [InlineData("dir/sub/file name.psd")]
    [InlineData(".hidden/a..b/c.")]
    [InlineData("Ünïcödé/画像.psd")]
    public void Accepts_relative_forward_slash_paths(string path) => Assert.Null(LockPaths.Validate(path));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("a/./b")]
    [InlineData("a/")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0085b")]
    public void Refuses_everything_else_with_a_reason(string? path) => Assert.False(string.IsNullOrEmpty(LockPaths.Validate(path)));

    [Fact]
    public void Refuses_broken_utf16()
    {
        // Built in code: attribute arguments cannot carry lone surrogates.
        Assert.NotNull(LockPaths.Validate("a" + (char)0xD800 + "b"));
        Assert.NotNull(LockPaths.Validate("b" + (char)0xDC00));
        Assert.Null(LockPaths.Validate("emoji-" + char.ConvertFromUtf32(0x1F600)));
    }

    [Fact]
    public void The_bound_counts_utf8_bytes()
    {
        Assert.Null(LockPaths.Validate(new string('é', LockPaths.MaxBytes / 2)));
        Assert.NotNull(LockPaths.Validate(new string('é', (LockPaths.MaxBytes / 2) + 1)));
    }
}
