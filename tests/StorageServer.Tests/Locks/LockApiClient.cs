using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Locks;

/// <summary>
/// Talks to the locking API the way git-lfs 3.3 does (LFS JSON media type with charset, HTTP
/// Basic) and checks what every answer must have: the LFS JSON content type.
/// </summary>
internal sealed class LockApiClient(HttpClient http, string lfsBase = LockApiClient.DefaultBase) : IDisposable
{
    public const string DefaultBase = "/team/data.git/info/lfs";

    public HttpClient Http => http;

    public Task<LfsReply> CreateAsync(string path, string refName = "refs/heads/main") =>
        PostAsync("locks", JsonSerializer.Serialize(new { path, @ref = new { name = refName } }));

    public async Task<LfsReply> ListAsync(string query = "") =>
        await LfsReply.ReadAsync(await http.GetAsync($"{lfsBase}/locks{query}"));

    public Task<LfsReply> VerifyAsync(string? cursor = null, int? limit = null)
    {
        var body = new Dictionary<string, object?> { ["ref"] = new { name = "refs/heads/main" } };
        if (cursor is not null)
        {
            body["cursor"] = cursor;
        }
        if (limit is not null)
        {
            body["limit"] = limit;
        }
        return PostAsync("locks/verify", JsonSerializer.Serialize(body));
    }

    public Task<LfsReply> UnlockAsync(string id, bool force = false) =>
        PostAsync($"locks/{Uri.EscapeDataString(id)}/unlock", JsonSerializer.Serialize(new { force, @ref = new { name = "refs/heads/main" } }));

    public async Task<LfsReply> PostAsync(string relative, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.git-lfs+json; charset=utf-8");
        return await LfsReply.ReadAsync(await http.PostAsync($"{lfsBase}/{relative}", content));
    }

    /// <summary>Creates a lock that must succeed and returns its id.</summary>
    public async Task<string> LockAsync(string path)
    {
        var reply = await CreateAsync(path);
        reply.AssertStatus(System.Net.HttpStatusCode.Created);
        return reply.Json.GetProperty("lock").GetProperty("id").GetString()!;
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A whole response, read once; asserts the LFS JSON content type on construction.</summary>
internal sealed record LfsReply(System.Net.HttpStatusCode Status, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public static async Task<LfsReply> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/vnd.git-lfs+json",
                $"{(int)response.StatusCode} came as '{response.Content.Headers.ContentType}': {body}");
            return new LfsReply(response.StatusCode, body, response.Headers);
        }
    }

    public LfsReply AssertStatus(System.Net.HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected}, got {(int)Status}: {Body}");
        return this;
    }

    public LfsReply AssertValid(LfsSchema schema)
    {
        schema.AssertValid(Body);
        return this;
    }

    public string Message => Json.GetProperty("message").GetString()!;

    public IReadOnlyList<string> Ids(string arrayName) =>
        Json.GetProperty(arrayName).EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList();

    public IReadOnlyList<string> Paths(string arrayName) =>
        Json.GetProperty(arrayName).EnumerateArray().Select(l => l.GetProperty("path").GetString()!).ToList();

    public string? NextCursor => Json.TryGetProperty("next_cursor", out var cursor) ? cursor.GetString() : null;
}
