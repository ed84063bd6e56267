using System.Text;
using StorageServer.Protocol;
using StorageServer.Protocol.Pointers;

namespace StorageServer.Tests.Protocol;

public sealed class LfsPointerTests
{
    private const string Oid1 = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

    private static readonly string Canonical = $"version https://git-lfs.github.com/spec/v1\noid sha256:{Oid1}\nsize 12345\n";

    [Fact]
    public void Formats_the_canonical_pointer()
    {
        Assert.Equal(Canonical, new LfsPointer(Oid.Parse(Oid1), 12345).Format());
    }

    [Fact]
    public void Parses_the_canonical_pointer_and_knows_it_is_canonical()
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical);
        Assert.True(LfsPointer.TryParse(bytes, out var pointer));
        Assert.Equal(12345, pointer.Size);
        Assert.Equal(Oid1, pointer.Oid.Value);
        Assert.True(LfsPointer.IsCanonical(bytes));
    }

    [Fact]
    public void Accepts_surrounding_whitespace_and_legacy_versions_but_they_are_not_canonical()
    {
        var legacy = Encoding.UTF8.GetBytes($"\n version https://hawser.github.com/spec/v1\noid sha256:{Oid1}\nsize 1\n\n");
        Assert.True(LfsPointer.TryParse(legacy, out _));
        Assert.False(LfsPointer.IsCanonical(legacy));
    }

    [Theory]
    [InlineData("version https://git-lfs.github.com/spec/v1\nsize 1\noid sha256:" + Oid1 + "\n")] // keys out of order
    [InlineData("version https://git-lfs.github.com/spec/v1\noid sha256:" + Oid1 + "\nsize -1\n")]
    [InlineData("version https://git-lfs.github.com/spec/v1\noid sha1:" + Oid1 + "\nsize 1\n")]
    [InlineData("version https://example.com/v9\noid sha256:" + Oid1 + "\nsize 1\n")]
    [InlineData("oid sha256:" + Oid1 + "\nversion https://git-lfs.github.com/spec/v1\nsize 1\n")]
    [InlineData("version https://git-lfs.github.com/spec/v1\noid sha256:" + Oid1 + "\nsize 1\nsize 2\n")]
    [InlineData("just some text that mentions oid sha256 and size")]
    public void Rejects_what_is_not_a_pointer(string text)
    {
        Assert.False(LfsPointer.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Rejects_blobs_of_1024_bytes_or_more()
    {
        var big = Canonical + new string('x', 1024);
        Assert.False(LfsPointer.TryParse(Encoding.UTF8.GetBytes(big), out _));
    }

    [Fact]
    public void Keeps_extension_lines_in_priority_order()
    {
        var text = $"version https://git-lfs.github.com/spec/v1\next-0-foo sha256:{Oid1}\next-1-bar sha256:{Oid1}\noid sha256:{Oid1}\nsize 5\n";
        Assert.True(LfsPointer.TryParse(Encoding.UTF8.GetBytes(text), out var pointer));
        Assert.Equal(["foo", "bar"], pointer.Extensions.Select(e => e.Name));
        Assert.Equal(text, pointer.Format());
    }
}
