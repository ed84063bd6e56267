using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Auth;

/// <summary>JWTs of the configured issuer work as Bearer and as the Basic password git-lfs 3.3 sends.</summary>
public sealed class JwtAuthenticationTests : IDisposable
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "storageserver";
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef-test-key");

    private readonly StorageServerFactory _server = new(new Dictionary<string, string?>
    {
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(Key),
    });

    private string Mint(string scopes, string issuer = Issuer, byte[]? key = null, TimeSpan? lifetime = null)
    {
        var now = _server.Clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "dana"), new Claim("storage_scopes", scopes)]),
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task An_admin_scoped_jwt_works_as_bearer_and_as_basic_password()
    {
        var jwt = Mint("*:admin");
        using var bearer = _server.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/repos")).StatusCode);

        using var basic = _server.CreateBasicClient(jwt);
        Assert.Equal(HttpStatusCode.OK, (await basic.GetAsync("/api/repos")).StatusCode);
    }

    [Fact]
    public async Task Scopes_come_from_the_claim()
    {
        using var client = _server.CreateBasicClient(Mint("team/data:write other/repo:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/repos")).StatusCode);
    }

    [Theory]
    [InlineData("issuer")]
    [InlineData("key")]
    [InlineData("expired")]
    [InlineData("tampered")]
    public async Task Foreign_expired_or_tampered_jwts_are_rejected(string defect)
    {
        var jwt = defect switch
        {
            "issuer" => Mint("*:admin", issuer: "https://evil.example"),
            "key" => Mint("*:admin", key: Encoding.UTF8.GetBytes("another-key-another-key-another-key-!!")),
            "expired" => Mint("*:admin", lifetime: TimeSpan.FromMinutes(-5)),
            _ => Tamper(Mint("team/data:read")),
        };
        using var client = _server.CreateBasicClient(jwt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/repos")).StatusCode);
    }

    [Fact]
    public async Task Transfer_tokens_given_for_a_jwt_expire_with_it()
    {
        await _server.CreateRepoAsync("team/data");
        using var client = _server.CreateBasicClient(Mint("team/data:write", lifetime: TimeSpan.FromMinutes(2)));
        var batch = await Lfs.LfsTestContext.BatchAsync(client, "upload", (Lfs.LfsTestContext.Content(5).Oid, 5));
        var expiresIn = Lfs.LfsTestContext.Action(batch, 0, "upload").GetProperty("expires_in").GetInt64();
        Assert.InRange(expiresIn, 1, 120);
    }

    private static string Tamper(string jwt)
    {
        // Swap the payload for one granting admin, keeping the original signature.
        var parts = jwt.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("team/data:read", "*:admin", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    public void Dispose() => _server.Dispose();
}
