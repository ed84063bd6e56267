using Microsoft.Extensions.DependencyInjection;
using StorageServer.Observability;

namespace StorageServer.Tests.Observability;

/// <summary>What <c>/metrics</c> prints for recorded measurements: names, types, buckets and labels.</summary>
public sealed class StorageMetricsTests
{
    private static async Task<string> ScrapeAsync(StorageMetrics metrics)
    {
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    [Fact]
    public async Task Histograms_have_cumulative_buckets_sum_and_count_and_counters_end_in_total()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new StorageMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        metrics.Request(RouteKinds.LfsBatch, "POST", 200, 120, 480, TimeSpan.FromMilliseconds(3));
        metrics.Request(RouteKinds.LfsBatch, "POST", 200, 100, 400, TimeSpan.FromMilliseconds(40));
        metrics.Request(RouteKinds.LfsBatch, "POST", 200, 100, 400, TimeSpan.FromSeconds(100));

        var text = await ScrapeAsync(metrics);
        var scrape = PrometheusScrape.Parse(text);

        Assert.Contains("# TYPE storageserver_lfs_batch_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE storageserver_http_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal(1, scrape["storageserver_lfs_batch_duration_seconds_bucket{status=\"200\",le=\"0.005\"}"]);
        Assert.Equal(1, scrape["storageserver_lfs_batch_duration_seconds_bucket{status=\"200\",le=\"0.025\"}"]);
        Assert.Equal(2, scrape["storageserver_lfs_batch_duration_seconds_bucket{status=\"200\",le=\"0.05\"}"]);
        Assert.Equal(2, scrape["storageserver_lfs_batch_duration_seconds_bucket{status=\"200\",le=\"30\"}"]);
        Assert.Equal(3, scrape["storageserver_lfs_batch_duration_seconds_bucket{status=\"200\",le=\"+Inf\"}"]);
        Assert.Equal(3, scrape["storageserver_lfs_batch_duration_seconds_count{status=\"200\"}"]);
        Assert.Equal(100.043, scrape["storageserver_lfs_batch_duration_seconds_sum{status=\"200\"}"], 6);
        Assert.Equal(3, scrape["storageserver_http_requests_total{kind=\"lfs_batch\",method=\"POST\",status=\"200\"}"]);
        Assert.Equal(320, scrape["storageserver_http_received_bytes_total{kind=\"lfs_batch\"}"]);
        Assert.Equal(1280, scrape["storageserver_http_sent_bytes_total{kind=\"lfs_batch\"}"]);
    }

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("PUT", "PUT")]
    [InlineData("PROPFIND", MetricLabels.Other)]
    [InlineData("get", MetricLabels.Other)]
    [InlineData("X-ANY-TOKEN-A-CLIENT-SENDS", MetricLabels.Other)]
    public void Request_methods_outside_the_standard_set_share_one_label_value(string method, string label) =>
        Assert.Equal(label, MetricLabels.Method(method));

    [Theory]
    [InlineData(200, "200")]
    [InlineData(599, "599")]
    [InlineData(99, MetricLabels.Other)]
    [InlineData(600, MetricLabels.Other)]
    public void Status_codes_outside_100_to_599_share_one_label_value(int status, string label) =>
        Assert.Equal(label, MetricLabels.Status(status));

    [Theory]
    [InlineData("/team/data.git/info/lfs/objects/batch", RouteKinds.LfsBatch)]
    [InlineData("/team/data.git/info/lfs/objects/0123", RouteKinds.LfsTransfer)]
    [InlineData("/team/data.git/info/lfs/objects/0123/verify", RouteKinds.LfsVerify)]
    [InlineData("/team/data.git/info/lfs/locks/verify", RouteKinds.LfsLocks)]
    [InlineData("/team/data.git/git-upload-pack", RouteKinds.Git)]
    [InlineData("/api/repos", RouteKinds.Api)]
    [InlineData("/healthz/ready", RouteKinds.Health)]
    [InlineData("/metrics", RouteKinds.Metrics)]
    [InlineData("/favicon.ico", RouteKinds.Other)]
    public void Paths_fall_into_route_kinds_without_repository_names(string path, string kind) =>
        Assert.Equal(kind, RouteKinds.Of(path));
}
