using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageServer.Tests.Lfs;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.RequestLimits;

/// <summary>
/// Strangers cannot make the server read a body: credentials are checked before a byte of it is
/// read wherever the route allows it, and every non-transfer route has a body limit. What the
/// application read is taken from its request log line (the in-process test server drains unread
/// bodies itself, as Kestrel would not); the memory this saves is measured against a real process
/// in the end-to-end UnauthenticatedBodiesTests.
/// </summary>
public sealed class RequestBodyLimitTests : IAsyncLifetime
{
    private const long Huge = 256L * 1024 * 1024;
    private readonly CapturingLoggerProvider _logs = new();
    private LfsTestContext _lfs = null!;

    public async Task InitializeAsync() => _lfs = await LfsTestContext.CreateAsync(
        new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "65536" },
        services => services.AddSingleton<ILoggerProvider>(_logs));

    public async Task DisposeAsync() => await _lfs.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task Admin_api_refuses_a_stranger_before_reading_the_body(string? token)
    {
        using var client = token is null ? _lfs.Client() : _lfs.Factory.CreateBasicClient(token);
        var body = GeneratedBodyContent.Create(Huge);
        using var response = await client.PostAsync("/api/repos", body);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("admin token", (await JsonAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await BytesTheServerReadAsync(response));
    }

    [Fact]
    public async Task Admin_api_refuses_a_non_admin_token_before_reading_the_body()
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var body = GeneratedBodyContent.Create(Huge);
        using var response = await client.PostAsync("/api/tokens", body);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await BytesTheServerReadAsync(response));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_admin_body_over_the_limit_is_413_in_the_api_format(bool chunked)
    {
        using var admin = _lfs.Factory.CreateAdminClient();
        var body = GeneratedBodyContent.Create(Huge, chunked: chunked);
        using var response = await admin.PostAsync("/api/repos", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await JsonAsync(response)).GetProperty("message").GetString()));
        // A declared length is refused unread; a chunked body is read up to the limit, not past it.
        Assert.InRange(await BytesTheServerReadAsync(response), 0, chunked ? 65536 + (64 * 1024) : 0);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-token", HttpStatusCode.Unauthorized)]
    [InlineData("other", HttpStatusCode.NotFound)]
    public async Task Batch_refuses_whoever_cannot_read_the_repository_before_reading_the_body(string? who, HttpStatusCode expected)
    {
        using var client = who switch
        {
            null => _lfs.Client(),
            "other" => _lfs.Client(_lfs.OtherWriteToken),
            _ => _lfs.Client(who),
        };
        var body = GeneratedBodyContent.Create(Huge, "application/vnd.git-lfs+json");
        using var response = await client.PostAsync($"{LfsTestContext.LfsBase}/objects/batch", body);
        (await LfsReply.ReadAsync(response)).AssertLfsError(expected);
        Assert.Equal(0, await BytesTheServerReadAsync(response));
    }

    [Fact]
    public async Task A_batch_body_over_the_lfs_limit_is_413_in_lfs_json_without_being_read()
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var body = GeneratedBodyContent.Create(Huge, "application/vnd.git-lfs+json");
        using var response = await client.PostAsync($"{LfsTestContext.LfsBase}/objects/batch", body);
        (await LfsReply.ReadAsync(response)).AssertLfsError(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await BytesTheServerReadAsync(response));
    }

    [Fact]
    public async Task A_read_token_asking_to_upload_is_still_refused_after_the_body()
    {
        using var client = _lfs.Client(_lfs.ReadToken);
        var reply = await LfsTestContext.PostBatchAsync(client, LfsTestContext.BatchJson("upload", (LfsTestContext.Content(3).Oid, 3)));
        reply.AssertLfsError(HttpStatusCode.Forbidden);
    }

    /// <summary>What the application read of the request's body, from its request log line.</summary>
    private async Task<long> BytesTheServerReadAsync(HttpResponseMessage response)
    {
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var line = _logs.Entries.LastOrDefault(e => e.Category == "StorageServer.Requests" && (string?)e.State["Path"] == path);
            if (line is not null)
            {
                return Convert.ToInt64(line.State["RequestBytes"], System.Globalization.CultureInfo.InvariantCulture);
            }
            await Task.Delay(50); // the line is written when the request ends, which may be just after the answer
        }
        throw new InvalidOperationException($"no request log line for {path}");
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
