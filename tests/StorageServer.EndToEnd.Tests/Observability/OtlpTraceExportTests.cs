using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Observability;

/// <summary>
/// A push with git and git-lfs against a server exporting to an OTLP/HTTP collector: the collector
/// receives the push's trace (the git push span inside its request) and the LFS upload's (the
/// upload span inside the PUT, with the database commands under it), and no span names the
/// repository or the object.
/// </summary>
public sealed class OtlpTraceExportTests : IAsyncLifetime
{
    private const string Repo = "team/traced";

    private readonly OtlpReceiver _collector = new();
    private readonly GitSandbox _git = new();
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["Telemetry__OtlpEndpoint"] = _collector.Url,
        ["Telemetry__ServiceName"] = "storageserver-under-test",
        // Export each batch of spans after 200 ms instead of 5 s.
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _collector.Dispose();
        _git.Dispose();
    }

    [Fact]
    public async Task A_push_and_its_lfs_upload_arrive_as_traces_without_repository_names_or_oids()
    {
        await _server.CreateRepoAsync(Repo);
        _git.StoreCredentials(_server.BaseUrl, await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" }), "alice");
        var work = _git.PathOf("work");
        _git.Run(_git.Root, "clone", $"{_server.BaseUrl}/{Repo}.git", work);
        _git.Run(work, "lfs", "track", "*.bin");
        var oid = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, "model.bin"), 1024 * 1024, seed: 4));
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "a model");
        _git.Run(work, "push", "origin", "main");

        var timeout = TimeSpan.FromSeconds(60);
        var push = await _collector.WaitForAsync(s => s.Name == "git push", timeout);
        var upload = await _collector.WaitForAsync(s => s.Name == "lfs upload", timeout);
        var spans = _collector.Spans;

        Assert.Equal("storageserver-under-test", push.Service);
        Assert.Equal("git-receive-pack", push.Attributes["storageserver.git_service"]);
        var pushRequest = Assert.Single(spans, s => s.SpanId == push.ParentSpanId);
        Assert.Equal(push.TraceId, pushRequest.TraceId);
        Assert.StartsWith("POST", pushRequest.Name, StringComparison.Ordinal);

        Assert.Equal("Stored", upload.Attributes["storageserver.put_status"]);
        Assert.Equal((1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), upload.Attributes["storageserver.object_size"]);
        var putRequest = Assert.Single(spans, s => s.SpanId == upload.ParentSpanId);
        Assert.StartsWith("PUT", putRequest.Name, StringComparison.Ordinal);
        Assert.Equal("lfs_transfer", putRequest.Attributes["storageserver.route_kind"]);
        Assert.DoesNotContain("url.path", putRequest.Attributes.Keys);

        var everything = string.Join("\n", spans.SelectMany(s => s.Attributes.Values.Append(s.Name)));
        Assert.DoesNotContain(oid, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Repo, everything, StringComparison.Ordinal);
    }
}
