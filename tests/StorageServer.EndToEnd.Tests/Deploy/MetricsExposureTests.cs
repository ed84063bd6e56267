using System.Net;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// Where <c>/metrics</c> can be read from in the shipped setup: directly on the node's loopback
/// address (a local Prometheus or agent), not through the nginx site, not by a proxied request
/// without the scrape token, and from anywhere with it.
/// </summary>
public sealed class MetricsExposureTests
{
    private const string ScrapeToken = "e2e-scrape-token-0123456789";

    [Fact]
    public async Task Metrics_are_served_on_loopback_and_with_the_token_but_not_through_the_shipped_nginx_site()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Metrics__ScrapeToken"] = ScrapeToken });
        var site = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "deploy", "nginx", "storageserver.conf"));
        await using var nginx = await NginxProcess.StartAsync(site, server.Port);
        using var http = new HttpClient();

        using (var direct = await http.GetAsync($"{server.BaseUrl}/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
            Assert.Contains("# TYPE storageserver_http_requests_total counter", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var throughNginx = await http.GetAsync($"{nginx.BaseUrl}/metrics"))
        {
            Assert.Equal(HttpStatusCode.NotFound, throughNginx.StatusCode);
        }
        using (var proxied = new HttpRequestMessage(HttpMethod.Get, $"{server.BaseUrl}/metrics"))
        {
            proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var response = await http.SendAsync(proxied);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using (var withToken = new HttpRequestMessage(HttpMethod.Get, $"{server.BaseUrl}/metrics"))
        {
            withToken.Headers.Add("X-Forwarded-For", "203.0.113.7");
            withToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ScrapeToken);
            using var response = await http.SendAsync(withToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var health = await http.GetAsync($"{nginx.BaseUrl}/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }
}
