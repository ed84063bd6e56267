using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.WebConsole;

/// <summary>
/// No console page is readable and no console form acts without a live session of an admin on every
/// repository, and no form acts without its antiforgery token (what a cross-site post lacks).
/// Pages and handlers are discovered from the running server, so new ones are covered too.
/// </summary>
public sealed class ConsoleAccessTests : IDisposable
{
    private readonly StorageServerFactory _server = new();

    [Fact]
    public async Task Every_page_and_form_redirects_a_request_without_a_valid_session_to_sign_in_and_changes_nothing()
    {
        await _server.CreateRepoAsync("team/data");
        var endpoints = await ConsolePages.DiscoverAsync(_server);
        Assert.Contains(endpoints, e => e.Method == "POST" && e.Url.Contains("handler=Revoke", StringComparison.Ordinal));
        Assert.True(endpoints.Count(e => e.Method == "POST") >= 15, string.Join("\n", endpoints));
        var auditBefore = await AuditCountAsync();

        using var anonymous = new ConsoleClient(_server);
        using var forged = new ConsoleClient(_server);
        forged.Http.DefaultRequestHeaders.Add("Cookie", "storageserver_console=CfDJ8forged-session-key");
        // A Basic credential a browser cached for git must not open the console either.
        using var basic = _server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        basic.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("git:" + StorageServerFactory.AdminToken)));
        foreach (var endpoint in endpoints.Where(e => e.Page != "/SignIn"))
        {
            foreach (var client in new[] { anonymous.Http, forged.Http })
            {
                using var response = endpoint.Method == "GET"
                    ? await client.GetAsync(endpoint.Url)
                    : await client.PostAsync(endpoint.Url, ConsoleClient.Form(("id", "1"), ("name", "team/other"), ("reason", "x")));
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{endpoint}: {response.StatusCode}");
                Assert.StartsWith("/console/signin", PathOf(response.Headers.Location), StringComparison.Ordinal);
            }
            using var withBasic = endpoint.Method == "GET" ? await basic.GetAsync(endpoint.Url) : await basic.PostAsync(endpoint.Url, ConsoleClient.Form());
            Assert.True(withBasic.StatusCode == HttpStatusCode.Redirect && PathOf(withBasic.Headers.Location).StartsWith("/console/signin", StringComparison.Ordinal),
                $"{endpoint} with Basic credentials: {withBasic.StatusCode}");
        }
        Assert.Equal(auditBefore, await AuditCountAsync());
        await using var scope = _server.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<StorageDbContext>().Repositories.AnyAsync(r => r.Name == "team/other"));
    }

    [Fact]
    public async Task Every_form_refuses_a_post_without_its_antiforgery_token_even_with_a_valid_session()
    {
        await _server.CreateRepoAsync("team/data");
        var token = await _server.CreateTokenAsync("victim", new Dictionary<string, string> { ["team/data"] = "read" });
        using var admin = new ConsoleClient(_server);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync(StorageServerFactory.AdminToken)).StatusCode);
        var auditBefore = await AuditCountAsync();

        foreach (var endpoint in (await ConsolePages.DiscoverAsync(_server)).Where(e => e.Method == "POST"))
        {
            // What a cross-site form carries when a browser ignores SameSite: the cookie, an Origin of another site, no token.
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
            {
                Content = ConsoleClient.Form(("id", "1"), ("token", StorageServerFactory.AdminToken), ("name", "team/other"), ("reason", "x")),
            };
            request.Headers.Add("Origin", "http://attacker.example");
            using var response = await admin.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{endpoint}: {response.StatusCode}");
        }
        Assert.Equal(auditBefore, await AuditCountAsync());
        using var api = _server.CreateAdminClient();
        var tokens = await api.GetFromJsonAsync<JsonElement>("/api/tokens");
        Assert.Null(tokens.EnumerateArray().Single(t => t.GetProperty("user").GetString() == "victim").GetProperty("revokedAt").GetString());
        Assert.NotNull(token);
    }

    [Fact]
    public async Task Sign_in_refuses_wrong_and_non_admin_tokens_and_opens_no_session()
    {
        await _server.CreateRepoAsync("team/data");
        var repoAdmin = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "admin", ["*"] = "write" });
        using var client = new ConsoleClient(_server);
        foreach (var token in new[] { "not-a-token-0123456789", repoAdmin, "ss_xfer.forged.token" })
        {
            using var response = await client.SignInAsync(token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("storageserver_console=", StringComparison.Ordinal));
            using var page = await client.Http.GetAsync("/console/tokens");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        }
        Assert.Contains("not an admin token", await (await client.SignInAsync(repoAdmin)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_same_site_strict_and_server_side_and_ends_with_its_token_or_sign_out()
    {
        var token = await _server.CreateTokenAsync("dpo", new Dictionary<string, string> { ["*"] = "admin" });
        using var client = new ConsoleClient(_server);
        using var signedIn = await client.SignInAsync(token);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("storageserver_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, cookie, StringComparison.Ordinal);
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var sessions = await scope.ServiceProvider.GetRequiredService<StorageDbContext>().ConsoleSessions.ToListAsync();
            var session = Assert.Single(sessions);
            Assert.Equal("dpo", session.User);
            Assert.DoesNotContain(token, System.Text.Encoding.UTF8.GetString(session.Ticket), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/console/tokens")).StatusCode);

        using var api = _server.CreateAdminClient();
        var id = (await api.GetFromJsonAsync<JsonElement>("/api/tokens")).EnumerateArray().Single().GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/console/tokens")).StatusCode);

        // Sign out ends the session on the server: the old cookie, replayed, opens nothing.
        using var admin = new ConsoleClient(_server);
        var adminCookie = (await admin.SignInAsync(StorageServerFactory.AdminToken)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("storageserver_console=", StringComparison.Ordinal)).Split(';')[0];
        var csrf = await admin.AntiforgeryTokenAsync("/console/signout");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Http.PostAsync("/console/signout", ConsoleClient.Form(("__csrf", csrf)))).StatusCode);
        using var replay = _server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        replay.DefaultRequestHeaders.Add("Cookie", adminCookie);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/console/tokens")).StatusCode);
    }

    private static string PathOf(Uri? location) => location is null ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    private async Task<int> AuditCountAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StorageDbContext>().AuditEvents.CountAsync();
    }

    public void Dispose() => _server.Dispose();
}
