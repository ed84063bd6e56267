using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Hosting;

/// <summary>
/// What an operator reads: by default one readable line per request (method, path without its
/// query, status, duration, bytes, user), no SQL, no authentication noise for the credential-less
/// first request git always makes; JSON lines when <c>Logging:Console:FormatterName=json</c>.
/// </summary>
public sealed partial class LoggingTests : IDisposable
{
    private readonly GitSandbox _git = new();

    [Fact]
    public async Task By_default_each_request_is_one_readable_line_and_nothing_else_is_noise()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        // The log is read from the server's stdout as it comes: the token's audit line and request
        // line can arrive after its answer. The request line is written last, so once it is here
        // everything of the set-up is, and what follows belongs to the requests under test.
        await WaitForLogAsync(server, "POST /api/tokens 201 ");
        var before = server.Log.Length;

        // git's first request carries no credentials; it answers the 401 with the stored ones.
        _git.StoreCredentials(server.BaseUrl, token, "alice");
        _git.Run(_git.Root, "clone", $"{server.BaseUrl}/team/data.git", _git.PathOf("clone"));
        using (var admin = server.CreateClient(ServerProcess.AdminToken))
        using (var listed = await admin.GetAsync("/api/repos?secret=hunter2-in-a-query"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }
        await WaitForLogAsync(server, "GET /api/repos 200 ");
        var lines = server.Log[before..].Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var requests = lines.Where(l => l.Contains("StorageServer.Requests", StringComparison.Ordinal)).ToList();
        Assert.Contains(requests, l => RequestLine().IsMatch(l) && l.Contains("GET /team/data.git/info/refs 401 ", StringComparison.Ordinal) && l.EndsWith("user:-", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains("GET /team/data.git/info/refs 200 ", StringComparison.Ordinal) && l.EndsWith("user:alice", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains("POST /team/data.git/git-upload-pack 200 ", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains("GET /api/repos 200 ", StringComparison.Ordinal) && l.EndsWith("user:admin", StringComparison.Ordinal));
        Assert.All(requests, l => Assert.Matches(RequestLine(), l));
        Assert.DoesNotContain("hunter2", server.Log, StringComparison.Ordinal);
        // Nothing but the request lines for requests: no SQL, no framework chatter, no auth "failures".
        Assert.DoesNotContain(lines, l => !l.Contains("StorageServer.Requests", StringComparison.Ordinal));
        Assert.DoesNotContain("SELECT", server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("{\"", server.Log[before..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_json_formatter_configured_every_line_is_a_json_object()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "json" });
        using (var client = server.CreateClient())
        using (var response = await client.GetAsync("/api/repos"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        await WaitForLogAsync(server, "StorageServer.Requests");
        var lines = server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var request = Assert.Single(entries, e => e.GetProperty("Category").GetString() == "StorageServer.Requests");
        Assert.Equal("GET", request.GetProperty("State").GetProperty("Method").GetString());
        Assert.Equal(401, request.GetProperty("State").GetProperty("StatusCode").GetInt32());
    }

    [Fact]
    public void The_shipped_appsettings_json_sits_next_to_the_server_and_shows_the_logging_keys()
    {
        var path = Path.Combine(Path.GetDirectoryName(RepoRoot.ServerDll)!, "appsettings.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var logging = settings.RootElement.GetProperty("Logging");
        Assert.Equal("simple", logging.GetProperty("Console").GetProperty("FormatterName").GetString());
        Assert.Equal("Warning", logging.GetProperty("LogLevel").GetProperty("Microsoft.EntityFrameworkCore").GetString());
        Assert.Contains("\"json\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    public void Dispose() => _git.Dispose();

    /// <summary>A request's line is written as it ends, which can be just after its answer arrived.</summary>
    private static async Task WaitForLogAsync(ServerProcess server, string text)
    {
        for (var attempt = 0; !server.Log.Contains(text, StringComparison.Ordinal); attempt++)
        {
            Assert.True(attempt < 100, $"no log line with \"{text}\" within 10 s");
            await Task.Delay(100);
        }
    }

    // 2026-12-06T01:23:02.211Z info: StorageServer.Requests[1] POST /api/repos 401 63ms in:0 out:78 user:-
    [GeneratedRegex(@"^\S+Z info: StorageServer\.Requests\[1\] (GET|POST|PUT|PATCH|DELETE) /\S* \d{3} \d+ms in:\d+ out:\d+ user:\S+$")]
    private static partial Regex RequestLine();
}
