using System.Net;
using System.Net.Http.Headers;
using StorageServer.Tests.Jobs;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Observability;

/// <summary><c>/metrics</c> in-process: who may read it, and that its numbers follow what the server did.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private LfsTestContext _lfs = null!;

    public async Task InitializeAsync() =>
        _lfs = await LfsTestContext.CreateAsync(new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = PrometheusScrape.ScrapeToken }, TestJobs.Register);

    public async Task DisposeAsync() => await _lfs.DisposeAsync();

    [Fact]
    public async Task Uploads_downloads_and_batches_move_the_counters_and_the_latency_histogram()
    {
        using var client = _lfs.Client();
        var before = await PrometheusScrape.ReadAsync(client);
        var (bytes, oid) = LfsTestContext.Content(300_000, seed: 9);
        await _lfs.UploadAsync(bytes, oid);
        var download = await LfsTestContext.BatchAsync(_lfs.Client(_lfs.WriteToken), "download", (oid, bytes.Length));
        using (var got = await LfsTestContext.SendActionAsync(client, HttpMethod.Get, LfsTestContext.Action(download, 0, "download")))
        {
            Assert.Equal(bytes, await got.Content.ReadAsByteArrayAsync());
        }
        var after = await PrometheusScrape.ReadAsync(client);

        const string Batches = "storageserver_http_requests_total{kind=\"lfs_batch\",method=\"POST\",status=\"200\"}";
        Assert.Equal(2, after.Value(Batches) - before.Value(Batches));
        Assert.Equal(1, after.Value("storageserver_http_requests_total{kind=\"lfs_transfer\",method=\"PUT\",status=\"200\"}")
            - before.Value("storageserver_http_requests_total{kind=\"lfs_transfer\",method=\"PUT\",status=\"200\"}"));
        Assert.Equal(bytes.Length, after.Value("storageserver_http_received_bytes_total{kind=\"lfs_transfer\"}")
            - before.Value("storageserver_http_received_bytes_total{kind=\"lfs_transfer\"}"));
        Assert.True(after.Value("storageserver_http_sent_bytes_total{kind=\"lfs_transfer\"}")
            - before.Value("storageserver_http_sent_bytes_total{kind=\"lfs_transfer\"}") >= bytes.Length);
        Assert.Equal(2, after.Value("storageserver_lfs_batch_duration_seconds_count{status=\"200\"}")
            - before.Value("storageserver_lfs_batch_duration_seconds_count{status=\"200\"}"));
        Assert.Equal(after.Value("storageserver_lfs_batch_duration_seconds_count{status=\"200\"}"),
            after.Value("storageserver_lfs_batch_duration_seconds_bucket{status=\"200\",le=\"+Inf\"}"));
        Assert.True(after.Value("storageserver_lfs_batch_duration_seconds_sum{status=\"200\"}") > before.Value("storageserver_lfs_batch_duration_seconds_sum{status=\"200\"}"));
    }

    [Fact]
    public async Task A_finished_job_run_is_counted_under_its_final_state()
    {
        using var admin = _lfs.Factory.CreateAdminClient();
        var before = await PrometheusScrape.ReadAsync(admin);
        Assert.Equal("succeeded", (await JobApi.WaitForEndAsync(admin, await JobApi.RunAsync(admin, "RescanAll"))).GetProperty("state").GetString());
        Assert.Equal("failed", (await JobApi.WaitForEndAsync(admin, await JobApi.RunAsync(admin, TestJobs.Failing))).GetProperty("state").GetString());

        // Counted just before the run's row records its end, so no waiting here.
        var after = await PrometheusScrape.ReadAsync(admin);
        Assert.Equal(1, after.Value(Succeeded) - before.Value(Succeeded));
        Assert.Equal(1, after.Value(Failed) - before.Value(Failed));
    }

    private const string Succeeded = "storageserver_jobs_runs_total{job=\"RescanAll\",outcome=\"succeeded\"}";
    private const string Failed = "storageserver_jobs_runs_total{job=\"" + TestJobs.Failing + "\",outcome=\"failed\"}";

    [Fact]
    public async Task A_malformed_api_body_is_counted_as_the_400_the_client_got()
    {
        using var admin = _lfs.Factory.CreateAdminClient();
        var before = await PrometheusScrape.ReadAsync(admin);
        using (var response = await admin.PostAsync("/api/repos", new StringContent("{", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var after = await PrometheusScrape.ReadAsync(admin);
        Assert.Equal(1, after.Value(ApiPost("400")) - before.Value(ApiPost("400")));
        Assert.Equal(0, after.Value(ApiPost("500")) - before.Value(ApiPost("500")));
    }

    private static string ApiPost(string status) => $"storageserver_http_requests_total{{kind=\"api\",method=\"POST\",status=\"{status}\"}}";

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token-0123456789abcdef")]
    public async Task Without_the_scrape_token_a_non_loopback_caller_is_refused(string? token)
    {
        using var client = _lfs.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("storageserver_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
