using System.Security.Cryptography;
using System.Text;
using StorageServer.Auth;

namespace StorageServer.Tests.Auth;

public sealed class SecretStrengthTests
{
    [Theory]
    [InlineData("replace-with-32-random-characters-at-least")]
    [InlineData("CHANGEME-please-0123456789")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("passwordpassword")]
    [InlineData("abababababababababababababababab")]
    public void Placeholders_and_guessable_tokens_are_refused(string token) => Assert.NotNull(SecretStrength.TokenWeakness(token));

    [Theory]
    [InlineData("e2e-admin-token-0123456789abcdef")]
    [InlineData("ss_admin_3q2-7wY0bP1mK9xZ_hT4vR8nL6cJ5dF2gA1sE0uW9oI")]
    public void Tokens_with_enough_entropy_pass(string token) => Assert.Null(SecretStrength.TokenWeakness(token));

    [Fact]
    public void Every_openssl_rand_base64_32_passes_as_token_and_as_key()
    {
        for (var i = 0; i < 2000; i++)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            Assert.Null(SecretStrength.KeyWeakness(key));
            Assert.Null(SecretStrength.TokenWeakness(Convert.ToBase64String(key)));
        }
    }

    [Fact]
    public void Repeated_or_short_alphabet_keys_are_refused()
    {
        Assert.NotNull(SecretStrength.KeyWeakness(new byte[32]));
        Assert.NotNull(SecretStrength.KeyWeakness(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcd", 8)))));
        Assert.Equal(0, SecretStrength.EstimatedBits("aaaa".AsSpan()));
        Assert.Equal(64, SecretStrength.EstimatedBits("0123456789abcdef".AsSpan()), precision: 6);
    }
}
