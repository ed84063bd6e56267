using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.RequestLimits;

/// <summary>
/// Only <c>Limits:MaxConcurrentJsonRequests</c> JSON bodies are in the works at once: while one
/// client holds its slot by sending its body slowly, with no queue left the next JSON request is
/// turned away at once in its route's format with Retry-After (429 on the LFS API, which git-lfs
/// waits out; 503 on the admin API), and requests without a body are not held up.
/// </summary>
public sealed class JsonRequestConcurrencyTests
{
    [Fact]
    public async Task While_one_json_body_is_being_read_the_next_is_turned_away_with_retry_after()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Limits__MaxConcurrentJsonRequests"] = "1",
            ["Limits__JsonRequestQueueLength"] = "0",
        });
        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + token));
        var json = """{"operation":"download","objects":[{"oid":"0000000000000000000000000000000000000000000000000000000000000000","size":1}]}""";

        // Holds the only slot: headers and half the body, then nothing until the test says so. If a
        // request of the loop below held the slot when this one arrived, this one was turned away
        // instead (no queue): then it opens again, until it holds the slot.
        async Task<(RawHttpRequest Request, Task<int> Answer)> HoldSlotAsync()
        {
            var request = await RawHttpRequest.OpenAsync(server.Port, "POST", "/team/data.git/info/lfs/objects/batch",
                "application/vnd.git-lfs+json", json.Length, new Dictionary<string, string> { ["Authorization"] = basic });
            await request.SendBodyAsync(json.Length / 2, chunked: false, CancellationToken.None);
            return (request, request.ReadStatusAsync(CancellationToken.None));
        }
        var slow = await HoldSlotAsync();

        using var user = server.CreateClient();
        user.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(basic);
        HttpResponseMessage lfs;
        var attempts = 0;
        do
        {
            if (slow.Answer.IsCompleted)
            {
                await slow.Request.DisposeAsync();
                slow = await HoldSlotAsync();
            }
            await Task.Delay(20);
            // Until the slow request has its slot, another may still get it; once it has, none does.
            lfs = await user.PostAsync("/team/data.git/info/lfs/objects/batch", Lfs(json));
        }
        while (lfs.StatusCode == HttpStatusCode.OK && ++attempts < 500);
        Assert.Equal(HttpStatusCode.TooManyRequests, lfs.StatusCode);
        Assert.Equal("application/vnd.git-lfs+json", lfs.Content.Headers.ContentType?.MediaType);
        Assert.True(lfs.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");

        using var admin = server.CreateClient(ServerProcess.AdminToken);
        using var api = await admin.PostAsync("/api/repos", new StringContent("""{"name":"team/other"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.True(api.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");
        Assert.Contains("busy", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        using (var list = await admin.GetAsync("/api/repos"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode); // no body, no slot needed
        }

        await slow.Request.DisposeAsync(); // the client goes away: its slot is free again
        HttpResponseMessage after;
        attempts = 0;
        do
        {
            await Task.Delay(100);
            after = await admin.PostAsync("/api/repos", new StringContent("""{"name":"team/other"}""", Encoding.UTF8, "application/json"));
        }
        while (after.StatusCode == HttpStatusCode.ServiceUnavailable && ++attempts < 100);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    private static StringContent Lfs(string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.git-lfs+json");
        return content;
    }
}
