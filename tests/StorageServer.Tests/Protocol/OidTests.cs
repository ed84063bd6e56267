using StorageServer.Protocol;

namespace StorageServer.Tests.Protocol;

public sealed class OidTests
{
    [Theory]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", false)]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", false)]
    [InlineData("../../../../../../../../etc/passwd/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Accepts_only_64_lowercase_hex_digits(string? text, bool valid)
    {
        Assert.Equal(valid, Oid.TryParse(text, out _));
    }

    [Fact]
    public void Empty_is_the_hash_of_no_bytes()
    {
        Assert.Equal(Oid.FromHash(System.Security.Cryptography.SHA256.HashData(Array.Empty<byte>())), Oid.Empty);
    }

    [Fact]
    public void Sharded_path_uses_two_levels_of_two_characters()
    {
        Assert.Equal($"e3/b0/{Oid.Empty}", Oid.Empty.ShardedPath());
    }
}
