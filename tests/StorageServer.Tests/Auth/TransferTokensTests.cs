using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.Protocol;
using StorageServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Auth;

public sealed class TransferTokensTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("transfer-tokens-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private TransferTokens Create(string? key = null) =>
        new(Options.Create(new AuthOptions { SigningKey = key }), Options.Create(new StorageServerOptions { DataDir = _dataDir }), _clock);

    private TransferGrant Grant() => new(TransferOperation.Upload, "team/data", Oid.Empty, "alice", _clock.GetUtcNow().AddMinutes(5), "pat:1");

    [Fact]
    public void Round_trips_a_grant()
    {
        var tokens = Create();
        Assert.True(tokens.TryValidate(tokens.Issue(Grant()), out var grant));
        Assert.Equal(Grant() with { ExpiresAt = grant.ExpiresAt }, grant);
    }

    [Fact]
    public void Rejects_an_expired_token()
    {
        var tokens = Create();
        var token = tokens.Issue(Grant());
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False(tokens.TryValidate(token, out _));
    }

    [Fact]
    public void Rejects_a_tampered_payload_or_signature()
    {
        var tokens = Create();
        var token = tokens.Issue(Grant());
        var other = tokens.Issue(Grant() with { Repository = "evil/repo" });
        var tamperedPayload = other[..other.LastIndexOf('.')] + token[token.LastIndexOf('.')..];
        Assert.False(tokens.TryValidate(tamperedPayload, out _));
        Assert.False(tokens.TryValidate(token[..^2] + (token[^2] == 'A' ? "BB" : "AA"), out _));
        Assert.False(tokens.TryValidate("ss_xfer.garbage", out _));
    }

    [Fact]
    public void A_token_signed_with_another_key_is_rejected()
    {
        var other = Create(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        Assert.False(Create().TryValidate(other.Issue(Grant()), out _));
    }

    [Fact]
    public void A_short_signing_key_fails_naming_the_config_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Create(Convert.ToBase64String(new byte[8])));
        Assert.Contains("Auth:SigningKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Carries_the_announced_size_and_ref()
    {
        var tokens = Create();
        var issued = Grant() with { Size = 1234567890123, Ref = "refs/heads/feature/ü" };
        Assert.True(tokens.TryValidate(tokens.Issue(issued), out var grant));
        Assert.Equal(1234567890123, grant.Size);
        Assert.Equal("refs/heads/feature/ü", grant.Ref);
    }

    [Fact]
    public void Without_size_and_ref_they_stay_null()
    {
        var tokens = Create();
        Assert.True(tokens.TryValidate(tokens.Issue(Grant()), out var grant));
        Assert.Null(grant.Size);
        Assert.Null(grant.Ref);
    }

    [Fact]
    public void A_ref_with_a_newline_cannot_be_issued()
    {
        Assert.Throws<ArgumentException>(() => Create().Issue(Grant() with { Ref = "refs/heads/a\nUpload" }));
    }

    [Fact]
    public void Carries_the_credential_it_was_issued_for_and_needs_one()
    {
        var tokens = Create();
        Assert.True(tokens.TryValidate(tokens.Issue(Grant() with { Parent = "admin:0123456789abcdef" }), out var grant));
        Assert.Equal("admin:0123456789abcdef", grant.Parent);
        Assert.Throws<ArgumentException>(() => tokens.Issue(Grant() with { Parent = "" }));
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // 32 zero bytes
    [InlineData("YWJjZGFiY2RhYmNkYWJjZGFiY2RhYmNkYWJjZGFiY2Q=")] // "abcd" eight times
    public void A_guessable_signing_key_fails_naming_the_config_key(string key)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Create(key));
        Assert.Contains("Auth:SigningKey has too little entropy", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
