using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.RequestLimits;

/// <summary>
/// Every JSON endpoint takes only a body declared JSON. A browser sends text/plain and form bodies
/// to another origin without asking first, with the Basic credentials it has cached; those get 415.
/// </summary>
public sealed class JsonMediaTypeTests : IAsyncLifetime
{
    private const string LockJson = """{"path":"a.psd","ref":{"name":"refs/heads/main"}}""";

    private LfsTestContext _lfs = null!;

    public async Task InitializeAsync() => _lfs = await LfsTestContext.CreateAsync();

    public async Task DisposeAsync() => await _lfs.DisposeAsync();

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task Lfs_json_endpoints_refuse_other_media_types_and_change_nothing(string? contentType)
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        foreach (var (path, json) in new[]
        {
            ("locks", LockJson),
            ("locks/verify", "{}"),
            ("objects/batch", LfsTestContext.BatchJson("download", (LfsTestContext.Content(1).Oid, 1))),
        })
        {
            using var response = await client.PostAsync($"{LfsTestContext.LfsBase}/{path}", Body(json, contentType));
            (await LfsReply.ReadAsync(response)).AssertLfsError(HttpStatusCode.UnsupportedMediaType);
        }
        using var list = await client.GetAsync($"{LfsTestContext.LfsBase}/locks");
        Assert.Empty(JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("locks").EnumerateArray());
    }

    [Theory]
    [InlineData("application/vnd.git-lfs+json")]
    [InlineData("application/vnd.git-lfs+json; charset=utf-8")]
    [InlineData("application/json")]
    public async Task Lfs_accepts_what_git_lfs_and_json_clients_send(string contentType)
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        using var response = await client.PostAsync($"{LfsTestContext.LfsBase}/locks", Body(LockJson, contentType));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Verify_refuses_a_non_json_body()
    {
        var (bytes, oid) = LfsTestContext.Content(100);
        await _lfs.UploadAsync(bytes, oid);
        using var client = _lfs.Client(_lfs.WriteToken);
        using var response = await client.PostAsync($"{LfsTestContext.LfsBase}/objects/{oid}/verify", Body($$"""{"oid":"{{oid}}","size":100}""", "text/plain"));
        (await LfsReply.ReadAsync(response)).AssertLfsError(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Admin_api_refuses_other_media_types_with_a_message_and_changes_nothing(string contentType)
    {
        using var admin = _lfs.Factory.CreateAdminClient();
        using var response = await admin.PostAsync("/api/repos", Body("""{"name":"team/csrf"}""", contentType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var repo = await admin.GetAsync("/api/repos/team/csrf");
        Assert.Equal(HttpStatusCode.NotFound, repo.StatusCode);
    }

    private static StringContent Body(string json, string? contentType)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
