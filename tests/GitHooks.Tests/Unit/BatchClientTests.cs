using System.Net;
using System.Text;
using GitHooks.Api;
using GitHooks.Tests.Support;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Tests.Unit;

/// <summary>Whole-request failures of the batch call become messages that say what to do.</summary>
public sealed class BatchClientTests
{
    private static readonly LfsPointer[] One = [new(StorageServer.Protocol.Oid.Parse(new string('a', 64)), 5)];

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/vnd.git-lfs+json") };

    private static (BatchClient Client, FakeHandler Handler) Create(Func<HttpRequestMessage, HttpResponseMessage> answer, TextWriter? log = null)
    {
        var handler = new FakeHandler(answer);
        var http = new LfsHttpClient(handler, new FakeCredentials());
        var retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), TimeProvider.System) { Log = log };
        return (new BatchClient(http, new Uri("http://lfs.test/r.git/info/lfs"), retry), handler);
    }

    [Fact]
    public async Task A_server_nobody_answers_fails_at_once_naming_what_to_check()
    {
        var log = new StringWriter();
        var (client, handler) = Create(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (lfs.test:80)"), log);
        var error = await Assert.ThrowsAsync<BatchFailedException>(() => client.RequestAsync(BatchOperations.Upload, One, null, CancellationToken.None));
        Assert.Single(handler.Seen);
        Assert.Empty(log.ToString());
        Assert.Contains("cannot reach the LFS server at http://lfs.test", error.Message, StringComparison.Ordinal);
        Assert.Contains("lfs.url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_retry_says_what_failed_and_how_long_it_waits_honouring_retry_after()
    {
        var log = new StringWriter();
        var (client, handler) = Create(_ =>
        {
            var response = Json(HttpStatusCode.TooManyRequests, "{\"message\":\"slow down\"}");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return response;
        }, log);
        await Assert.ThrowsAsync<BatchFailedException>(() => client.RequestAsync(BatchOperations.Download, One, null, CancellationToken.None));
        Assert.Equal(3, handler.Seen.Count);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("git-storage: batch request: the server is rate limiting (429): slow down; retrying in 0 s as the server asked (Retry-After) (retry 1 of 2)", lines[0]);
    }

    [Fact]
    public async Task Forbidden_upload_says_write_access_is_missing_and_is_not_retried()
    {
        var (client, handler) = Create(_ => Json(HttpStatusCode.Forbidden, "{\"message\":\"read-only token\"}"));
        var error = await Assert.ThrowsAsync<BatchFailedException>(() => client.RequestAsync(BatchOperations.Upload, One, "refs/heads/main", CancellationToken.None));
        Assert.Contains("not allowed to push", error.Message, StringComparison.Ordinal);
        Assert.Contains("read-only token", error.Message, StringComparison.Ordinal);
        Assert.Single(handler.Seen);
    }

    [Fact]
    public async Task Not_found_points_at_the_endpoint_configuration()
    {
        var (client, _) = Create(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        var error = await Assert.ThrowsAsync<BatchFailedException>(() => client.RequestAsync(BatchOperations.Download, One, null, CancellationToken.None));
        Assert.Contains("check lfs.url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_are_retried_then_reported()
    {
        var (client, handler) = Create(_ => Json(HttpStatusCode.ServiceUnavailable, "{\"message\":\"maintenance\"}"));
        var error = await Assert.ThrowsAsync<BatchFailedException>(() => client.RequestAsync(BatchOperations.Download, One, null, CancellationToken.None));
        Assert.Equal(3, handler.Seen.Count);
        Assert.Contains("maintenance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_carries_the_lfs_media_type_operation_ref_and_objects()
    {
        string? body = null;
        string? contentType = null;
        var (client, _) = Create(request =>
        {
            body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            contentType = request.Content.Headers.ContentType!.MediaType;
            return Json(HttpStatusCode.OK, "{\"objects\":[{\"oid\":\"" + new string('a', 64) + "\",\"size\":5,\"error\":{\"code\":404,\"message\":\"nope\"}}]}");
        });
        var response = await client.RequestAsync(BatchOperations.Upload, One, "refs/heads/main", CancellationToken.None);
        Assert.Equal("application/vnd.git-lfs+json", contentType);
        Assert.Contains("\"operation\":\"upload\"", body, StringComparison.Ordinal);
        Assert.Contains("\"ref\":{\"name\":\"refs/heads/main\"}", body, StringComparison.Ordinal);
        Assert.Contains("\"size\":5", body, StringComparison.Ordinal);
        Assert.Equal(404, response.Objects[0].Error!.Code);
    }

    [Fact]
    public async Task Unsupported_hash_algorithm_is_refused()
    {
        var (client, _) = Create(_ => Json(HttpStatusCode.OK, "{\"objects\":[],\"hash_algo\":\"sha512\"}"));
        var error = await Assert.ThrowsAsync<BatchFailedException>(() => client.RequestAsync(BatchOperations.Download, One, null, CancellationToken.None));
        Assert.Contains("sha512", error.Message, StringComparison.Ordinal);
    }
}
