using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Admin;

public sealed class AdminApiTests : IDisposable
{
    private readonly StorageServerFactory _server = new();

    [Fact]
    public async Task Creates_a_repo_with_its_bare_git_directory()
    {
        using var admin = _server.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/api/repos", new { name = "team/data" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/team/data.git", body.GetProperty("gitUrl").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_server.DataDir, "repos", "team", "data.git", "HEAD")));
    }

    [Theory]
    [InlineData("/api/repos")]
    [InlineData("/api/tokens")]
    [InlineData("/api/holds")]
    [InlineData("/api/retention/policies")]
    [InlineData("/api/erasure/requests")]
    public async Task Malformed_json_gets_a_400_that_says_why_and_creates_nothing(string path)
    {
        // Production, as admins run it: minimal APIs would answer an empty 400 there (Development throws instead).
        using var production = _server.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var admin = production.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StorageServerFactory.AdminToken);
        using var content = new StringContent("{\"name\": \"team/x\",", System.Text.Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(path, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString();
        Assert.Contains("JSON", message, StringComparison.Ordinal);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Equal(0, audit.GetArrayLength());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("team/../../etc")]
    [InlineData("single")]
    [InlineData("team/data.git")]
    [InlineData("team/.hidden")]
    [InlineData("a/b/c")]
    public async Task Refuses_bad_repo_names_and_creates_nothing(string name)
    {
        using var admin = _server.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/api/repos", new { name });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_server.DataDir, "repos")) && Directory.EnumerateFileSystemEntries(Path.Combine(_server.DataDir, "repos")).Any());
    }

    [Fact]
    public async Task A_duplicate_repo_is_a_conflict()
    {
        await _server.CreateRepoAsync("team/data");
        using var admin = _server.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/api/repos", new { name = "team/data" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Admin_endpoints_need_the_admin_token()
    {
        using var anonymous = _server.CreateClient();
        using var noCredentials = await anonymous.PostAsJsonAsync("/api/repos", new { name = "team/data" });
        Assert.Equal(HttpStatusCode.Unauthorized, noCredentials.StatusCode);

        await _server.CreateRepoAsync("team/data");
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "admin" });
        using var alice = _server.CreateBasicClient(token);
        using var forbidden = await alice.PostAsJsonAsync("/api/repos", new { name = "team/other" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var wrong = _server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var rejected = await wrong.GetAsync("/api/repos");
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
    }

    [Fact]
    public async Task Tokens_are_stored_hashed_and_can_be_revoked_and_expire()
    {
        await _server.CreateRepoAsync("team/data");
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "read" });
        var dbBytes = await ReadDatabaseAsync();
        Assert.DoesNotContain(token, dbBytes, StringComparison.Ordinal);

        using var admin = _server.CreateAdminClient();
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/tokens");
        var id = list.EnumerateArray().Single().GetProperty("id").GetInt64();
        using var revoke = await admin.DeleteAsync($"/api/tokens/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var alice = _server.CreateBasicClient(token);
        using var afterRevoke = await alice.GetAsync("/api/repos");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);

        var expiring = await _server.CreateTokenAsync("bob", new Dictionary<string, string> { ["team/data"] = "read" }, _server.Clock.GetUtcNow().AddHours(1));
        using var bob = _server.CreateBasicClient(expiring);
        using var beforeExpiry = await bob.GetAsync("/api/repos");
        Assert.Equal(HttpStatusCode.Forbidden, beforeExpiry.StatusCode);
        _server.Clock.Advance(TimeSpan.FromHours(2));
        using var afterExpiry = await bob.GetAsync("/api/repos");
        Assert.Equal(HttpStatusCode.Unauthorized, afterExpiry.StatusCode);
    }

    [Theory]
    [InlineData("""{"user":"","scopes":{"team/data":"read"}}""")]
    [InlineData("""{"user":"bob","scopes":{}}""")]
    [InlineData("""{"user":"bob","scopes":{"team/data":"root"}}""")]
    [InlineData("""{"user":"bob","scopes":{"team/data":"read"},"expiresAt":"2000-01-01T00:00:00Z"}""")]
    public async Task Refuses_bad_token_requests(string json)
    {
        using var admin = _server.CreateAdminClient();
        using var response = await admin.PostAsync("/api/tokens", new StringContent(json, MediaTypeHeaderValue.Parse("application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/api/tokens")).EnumerateArray());
    }

    [Fact]
    public async Task Health_is_ok_when_database_and_store_answer()
    {
        using var client = _server.CreateClient();
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> ReadDatabaseAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(_server.DataDir, "storageserver.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }
        return text.ToString();
    }

    public void Dispose() => _server.Dispose();
}
