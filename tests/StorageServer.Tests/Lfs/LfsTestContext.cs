using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Lfs;

/// <summary>
/// A fresh server with two repositories (team/data, team/other) and tokens for them, plus
/// helpers speaking the LFS API the way git-lfs 3.3 does.
/// </summary>
public sealed class LfsTestContext : IAsyncDisposable
{
    public const string Repo = "team/data";
    public const string OtherRepo = "team/other";
    public const string LfsBase = "/team/data.git/info/lfs";
    public const string OtherLfsBase = "/team/other.git/info/lfs";
    public const string LfsJson = "application/vnd.git-lfs+json";

    private LfsTestContext(StorageServerFactory factory) => Factory = factory;

    public StorageServerFactory Factory { get; }

    public string WriteToken { get; private set; } = "";

    public string ReadToken { get; private set; } = "";

    public string OtherWriteToken { get; private set; } = "";

    public static async Task<LfsTestContext> CreateAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var context = new LfsTestContext(new StorageServerFactory(settings, services));
        await context.Factory.CreateRepoAsync(Repo);
        await context.Factory.CreateRepoAsync(OtherRepo);
        context.WriteToken = await context.Factory.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        context.ReadToken = await context.Factory.CreateTokenAsync("bob", new Dictionary<string, string> { [Repo] = "read" });
        context.OtherWriteToken = await context.Factory.CreateTokenAsync("carol", new Dictionary<string, string> { [OtherRepo] = "write" });
        return context;
    }

    public HttpClient Client(string? token = null) => token is null ? Factory.CreateClient() : Factory.CreateBasicClient(token);

    public static (byte[] Bytes, string Oid) Content(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public static string BatchJson(string operation, params (string Oid, long Size)[] objects) =>
        JsonSerializer.Serialize(new
        {
            operation,
            transfers = new[] { "lfs-standalone-file", "basic", "ssh" },
            @ref = new { name = "refs/heads/main" },
            objects = objects.Select(o => new { oid = o.Oid, size = o.Size }),
            hash_algo = "sha256",
        });

    /// <summary>POSTs a batch body exactly as git-lfs 3.3 does (content type with charset).</summary>
    public static async Task<LfsReply> PostBatchAsync(HttpClient client, string json, string lfsBase = LfsBase)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.git-lfs+json; charset=utf-8");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{lfsBase}/objects/batch") { Content = content };
        request.Headers.Accept.ParseAdd(LfsJson);
        using var response = await client.SendAsync(request);
        return await LfsReply.ReadAsync(response);
    }

    /// <summary>A successful batch, validated against the official response schema.</summary>
    public static async Task<JsonElement> BatchAsync(HttpClient client, string operation, params (string Oid, long Size)[] objects)
    {
        var reply = await PostBatchAsync(client, BatchJson(operation, objects));
        Assert.True(reply.Status == HttpStatusCode.OK, $"batch: {reply.Status} {reply.Body}");
        LfsSchema.BatchResponse.AssertValid(reply.Body);
        return reply.Json;
    }

    public static JsonElement Action(JsonElement batch, int index, string action) =>
        batch.GetProperty("objects")[index].GetProperty("actions").GetProperty(action);

    /// <summary>Sends a transfer request to an action's href with exactly the action's headers.</summary>
    public static async Task<HttpResponseMessage> SendActionAsync(HttpClient client, HttpMethod method, JsonElement action, HttpContent? content = null, string? range = null)
    {
        var request = new HttpRequestMessage(method, new Uri(action.GetProperty("href").GetString()!).PathAndQuery) { Content = content };
        if (content is StreamContent)
        {
            request.Headers.TransferEncodingChunked = true; // no Content-Length, as with a streamed body
        }
        foreach (var header in action.GetProperty("header").EnumerateObject())
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }
        return await client.SendAsync(request);
    }

    public static ByteArrayContent Bytes(byte[] bytes, string contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>
    /// Batch upload + PUT, as git-lfs pushes one object (no verify action comes for a PUT through
    /// the server), then a verify with the caller's credential, as a client that verifies anyway would.
    /// </summary>
    public async Task UploadAsync(byte[] bytes, string oid, string? token = null, string lfsBase = LfsBase)
    {
        using var client = Client(token ?? WriteToken);
        var reply = await PostBatchAsync(client, BatchJson("upload", (oid, bytes.Length)), lfsBase);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var entry = reply.Json.GetProperty("objects")[0];
        using var put = await SendActionAsync(client, HttpMethod.Put, entry.GetProperty("actions").GetProperty("upload"), Bytes(bytes));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var verify = await client.PostAsync($"{lfsBase}/objects/{oid}/verify",
            new StringContent(JsonSerializer.Serialize(new { oid, size = bytes.Length }), Encoding.UTF8, LfsJson));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    public async Task<(int Objects, int Claims)> CountRowsAsync()
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        return (await db.Objects.CountAsync(), await db.RepoObjects.CountAsync());
    }

    /// <summary>Files in the object store, temporary ones included.</summary>
    public string[] StoreFiles() =>
        Directory.Exists(Path.Combine(Factory.DataDir, "objects"))
            ? Directory.GetFiles(Path.Combine(Factory.DataDir, "objects"), "*", SearchOption.AllDirectories)
            : [];

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}

public sealed record LfsReply(HttpStatusCode Status, string? ContentType, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public static async Task<LfsReply> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response.Headers);

    public void AssertLfsError(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {status}, got {Status}: {Body}");
        Assert.Equal(LfsTestContext.LfsJson, ContentType);
        Assert.False(string.IsNullOrEmpty(Json.GetProperty("message").GetString()));
    }
}
