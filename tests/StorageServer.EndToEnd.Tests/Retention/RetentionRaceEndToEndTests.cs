using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Retention;

/// <summary>A sweep against a real server while a real HTTP upload of the same object is half sent.</summary>
public sealed class RetentionRaceEndToEndTests
{
    private const string Repo = "team/race";

    // Large enough that the gate lies beyond every buffer between the client and the server's handler.
    private const int Size = 32_000_000;
    private const int Gate = 20_000_000;

    [Fact]
    public async Task An_upload_streaming_during_a_sweep_keeps_its_object()
    {
        // No restore window and no orphan grace: the orphan is trashed and due at once.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Retention__TrashWindow"] = "00:00:00",
            ["Retention__DefaultOrphanGrace"] = "00:00:00",
        });
        using var admin = server.CreateClient(ServerProcess.AdminToken);
        await server.CreateRepoAsync(Repo);
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        var file = TestFiles.Write(Path.Combine(server.DataDir, "..", $"race-{Guid.NewGuid():N}.bin"), Size, seed: 3);
        var oid = await LfsApiClient.UploadAsync(server, Repo, token, file);
        Assert.Equal(1, (await RunAsync(admin, "mark")).GetProperty("trashed").GetInt64());

        // A stale clone uploads the same bytes again; its body stops halfway.
        using var client = server.CreateClient(token);
        var action = await UploadActionAsync(client, oid, Size);
        var body = new GatedStream(await File.ReadAllBytesAsync(file), Gate);
        using var request = new HttpRequestMessage(HttpMethod.Put, action.GetProperty("href").GetString()) { Content = new StreamContent(body) };
        request.Content.Headers.ContentLength = Size;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        foreach (var header in action.GetProperty("header").EnumerateObject())
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }
        var put = client.SendAsync(request);
        // The client has sent the first Gate bytes. On SQLite the lease lives in the server's memory,
        // invisible from outside (the bytes are stored already, so no temporary file shows either).
        // What lies between the client and the handler holds far less than Gate (loopback send
        // buffer <= 4 MiB, receive window, Kestrel's 1 MiB request buffer), so the handler has read
        // body bytes, and it takes the lease before it reads any.
        await body.HalfRead.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var sweep = await RunAsync(admin, "sweep");
        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(1, sweep.GetProperty("skippedBusy").GetInt64());
        Assert.Contains(oid, StoredObjects(server.DataDir));

        body.Release.SetResult();
        using (var response = await put)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(0, (await RunAsync(admin, "sweep")).GetProperty("swept").GetInt64());
        Assert.Contains(oid, StoredObjects(server.DataDir));
        var download = await BatchAsync(client, "download", oid, Size);
        Assert.True(download.TryGetProperty("actions", out _), download.ToString());
        File.Delete(file);
    }

    private static async Task<JsonElement> UploadActionAsync(HttpClient client, string oid, long size) =>
        (await BatchAsync(client, "upload", oid, size)).GetProperty("actions").GetProperty("upload");

    private static async Task<JsonElement> BatchAsync(HttpClient client, string operation, string oid, long size)
    {
        var json = JsonSerializer.Serialize(new { operation, transfers = new[] { "basic" }, objects = new[] { new { oid, size } } });
        using var content = new StringContent(json, Encoding.UTF8, "application/vnd.git-lfs+json");
        using var response = await client.PostAsync($"/{Repo}.git/info/lfs/objects/batch", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("objects")[0];
    }

    private static Task<JsonElement> RunAsync(HttpClient admin, string kind) => RetentionRuns.RunAsync(admin, kind);

    private static List<string> StoredObjects(string dataDir) => RetentionRuns.StoredObjects(dataDir);
}
