using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Observability;

namespace StorageServer.Tests.Observability;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Histograms_have_cumulative_buckets_sum_and_count_and_counters_end_in_total()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new StorageMetrics(services.GetRequiredService<IMeterFactory>());
        using var collector = new MetricsCollector(metrics);
        metrics.Request(RouteKinds.LfsBatch, "POST", 200, 120, 480, TimeSpan.FromMilliseconds(3));
        metrics.Request(RouteKinds.LfsBatch, "POST", 200, 100, 400, TimeSpan.FromMilliseconds(40));
        metrics.Request(RouteKinds.LfsBatch, "POST", 200, 100, 400, TimeSpan.FromSeconds(100));

        var text = PrometheusText.Write(collector.Series);
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

    [Fact]
    public void Label_values_are_escaped()
    {
        KeyValuePair<string, object?>[] tags = [new("job", "a\"b\\c\nd"), new("a", "first")];
        Assert.Equal("a=\"first\",job=\"a\\\"b\\\\c\\nd\"", PrometheusText.Labels(tags));
    }

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
