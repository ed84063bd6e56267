using System.Net;
using StorageServer.Observability;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Observability;

/// <summary>
/// Strangers choose the request method: 20,000 made-up ones must not become 20,000 series (one
/// scrape would then carry them all, and Prometheus would keep them for its retention time).
/// </summary>
public sealed class MetricsCardinalityTests : IAsyncLifetime
{
    private const int MadeUpMethods = 20_000;

    private readonly StorageServerFactory _factory = new(new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = PrometheusScrape.ScrapeToken });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Twenty_thousand_made_up_methods_add_no_series_beyond_one_for_all_of_them()
    {
        using var client = _factory.CreateClient();
        var before = await PrometheusScrape.ReadAsync(client);

        var unauthenticated = 0;
        for (var batch = 0; batch < MadeUpMethods; batch += 100)
        {
            var statuses = await Task.WhenAll(Enumerable.Range(batch, 100).Select(async i =>
            {
                using var request = new HttpRequestMessage(new HttpMethod($"M{i:X5}"), i % 2 == 0 ? "/team/data.git/info/lfs/objects/batch" : "/api/repos");
                using var response = await client.SendAsync(request);
                return response.StatusCode;
            }));
            unauthenticated += statuses.Count(s => s != HttpStatusCode.OK);
        }
        var after = await PrometheusScrape.ReadAsync(client);

        Assert.Equal(MadeUpMethods, unauthenticated);
        var requestSeries = after.Keys.Where(k => k.StartsWith("storageserver_http_requests_total{", StringComparison.Ordinal)).ToList();
        Assert.True(requestSeries.Count < 20, $"{requestSeries.Count} series: " + string.Join(", ", requestSeries.Take(30)));
        Assert.DoesNotContain(requestSeries, k => k.Contains("method=\"M", StringComparison.Ordinal));
        var other = requestSeries.Where(k => k.Contains($"method=\"{MetricLabels.Other}\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(MadeUpMethods, other.Sum(k => after.Value(k) - before.Value(k)));
    }
}
