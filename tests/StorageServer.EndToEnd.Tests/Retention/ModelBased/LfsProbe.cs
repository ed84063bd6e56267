using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// Asks the server what a git-lfs client would: a batch <c>download</c> per repository (200 with a
/// download action, or the per-object error code: 404 trashed or never claimed, 410 deleted or the
/// claim released by a sweep), and
/// the bytes behind an action.
/// </summary>
public sealed class LfsProbe(ServerProcess server, string token, ObjectPool pool) : IDisposable
{
    private readonly HttpClient _client = server.CreateClient(token);

    /// <summary>The status of each object through <paramref name="repository"/>.</summary>
    public async Task<Dictionary<string, ObjectStatus>> StatusAsync(string repository, IEnumerable<string> oids)
    {
        var result = new Dictionary<string, ObjectStatus>(StringComparer.Ordinal);
        foreach (var chunk in oids.Chunk(100))
        {
            var body = JsonSerializer.Serialize(new
            {
                operation = "download",
                transfers = new[] { "basic" },
                objects = chunk.Select(oid => new { oid, size = pool.Size(pool.IndexOf(oid)) }),
            });
            using var content = new StringContent(body, Encoding.UTF8, "application/vnd.git-lfs+json");
            using var response = await _client.PostAsync($"/{repository}.git/info/lfs/objects/batch", content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"batch download in {repository}: {(int)response.StatusCode} {text}");
            foreach (var entry in JsonDocument.Parse(text).RootElement.GetProperty("objects").EnumerateArray())
            {
                var oid = entry.GetProperty("oid").GetString()!;
                result[oid] = entry.TryGetProperty("error", out var error)
                    ? new ObjectStatus(error.GetProperty("code").GetInt32(), null, new Dictionary<string, string>())
                    : Action(entry.GetProperty("actions").GetProperty("download"));
            }
        }
        return result;
    }

    /// <summary>The bytes a download action serves.</summary>
    public async Task<byte[]> DownloadAsync(ObjectStatus status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, status.Href);
        foreach (var (name, value) in status.Header)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", token);
        using var response = await _client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {status.Href}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => _client.Dispose();

    private static ObjectStatus Action(JsonElement action) => new(
        200,
        action.GetProperty("href").GetString(),
        action.TryGetProperty("header", out var header) ? header.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : new Dictionary<string, string>());
}

/// <summary>One object's batch answer: 200 with where to fetch it, or the LFS error code.</summary>
public sealed record ObjectStatus(int Code, string? Href, IReadOnlyDictionary<string, string> Header);
