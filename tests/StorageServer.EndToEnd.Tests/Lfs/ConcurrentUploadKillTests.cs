using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Lfs;

/// <summary>
/// Small uploads in parallel, as git-lfs sends them, share their database commits (issue 17):
/// a server killed (SIGKILL) in the middle of them must still hold, after a restart, every
/// object it answered 200 for, downloadable through the repository that uploaded it.
/// </summary>
public sealed class ConcurrentUploadKillTests : IAsyncLifetime
{
    private const string Repo = "team/small";
    private const int Count = 96;

    private ServerProcess _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        await _server.CreateRepoAsync(Repo);
        _token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_server_killed_during_parallel_small_uploads_keeps_every_object_it_acknowledged()
    {
        var objects = Enumerable.Range(0, Count).Select(_ => RandomNumberGenerator.GetBytes(16 * 1024))
            .ToDictionary(b => Convert.ToHexStringLower(SHA256.HashData(b)));
        var actions = await BatchAsync("upload", objects);
        var acknowledged = new ConcurrentBag<string>();
        var enoughAcknowledged = new TaskCompletionSource();
        using var client = _server.CreateClient();
        using var lanes = new SemaphoreSlim(8); // git-lfs's default concurrency
        var puts = objects.Select(async o =>
        {
            await lanes.WaitAsync();
            try
            {
                using var request = Request(HttpMethod.Put, actions[o.Key].GetProperty("upload"), new ByteArrayContent(o.Value));
                using var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(o.Key);
                    if (acknowledged.Count >= Count / 3)
                    {
                        enoughAcknowledged.TrySetResult();
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The server died under this upload: not acknowledged, may or may not be stored.
            }
            finally
            {
                lanes.Release();
            }
        }).ToList();

        await enoughAcknowledged.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await _server.KillAsync(); // while the uploads after the first third are in flight
        await Task.WhenAll(puts).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(acknowledged.Count < Count, "every upload finished before the kill: nothing was in flight");

        await _server.StartAsync();
        var stored = await BatchAsync("download", acknowledged.ToDictionary(oid => oid, oid => objects[oid]));
        foreach (var oid in acknowledged)
        {
            Assert.True(stored[oid].TryGetProperty("download", out var download), $"acknowledged object {oid} is gone after the kill");
            using var request = Request(HttpMethod.Get, download, content: null);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(objects[oid], await response.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>The batch answer's actions per oid (an object with an error has no actions).</summary>
    private async Task<Dictionary<string, JsonElement>> BatchAsync(string operation, Dictionary<string, byte[]> objects)
    {
        using var client = _server.CreateClient(_token);
        using var response = await client.PostAsJsonAsync($"/{Repo}.git/info/lfs/objects/batch",
            new { operation, objects = objects.Select(o => new { oid = o.Key, size = o.Value.Length }) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return answer.GetProperty("objects").EnumerateArray().ToDictionary(
            o => o.GetProperty("oid").GetString()!,
            o => o.TryGetProperty("actions", out var a) ? a.Clone() : JsonDocument.Parse("{}").RootElement.Clone());
    }

    private static HttpRequestMessage Request(HttpMethod method, JsonElement action, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, action.GetProperty("href").GetString()) { Content = content };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(action.GetProperty("header").GetProperty("Authorization").GetString()!);
        return request;
    }
}
