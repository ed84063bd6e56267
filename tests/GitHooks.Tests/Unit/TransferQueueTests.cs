using GitHooks.Api;
using GitHooks.LocalStorage;
using GitHooks.Progress;
using GitHooks.Tests.Support;
using GitHooks.Transfer;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Tests.Unit;

/// <summary>The transfer queue and basic adapters against the plain LFS test server, in process.</summary>
public sealed class TransferQueueTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gs-queue-" + Guid.NewGuid().ToString("N"));
    private readonly LfsObjectStore _store;
    private readonly LfsHttpClient _http = new(new SocketsHttpHandler(), new FakeCredentials());
    private readonly RetryPolicy _retry = new(2, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), TimeProvider.System);
    private LfsTestServer _server = null!;

    public TransferQueueTests() => _store = new LfsObjectStore(Path.Combine(_dir, "lfs"));

    public async Task InitializeAsync() => _server = await LfsTestServer.StartAsync(Path.Combine(_dir, "server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private TransferQueue Queue(ITransferAdapter adapter, int batchSize = 100) =>
        new(new BatchClient(_http, _server.LfsUrl("repo"), _retry), adapter, _retry, new TransferOptions(batchSize, 4), TransferProgress.Silent);

    private async Task<LfsPointer> CacheAsync(byte[] data)
    {
        var output = new MemoryStream();
        await new FileFilter(_store).CleanAsync(new MemoryStream(data), output, CancellationToken.None);
        Assert.True(LfsPointer.TryParse(output.ToArray(), out var pointer));
        return pointer;
    }

    [Fact]
    public async Task Uploads_in_batches_skips_what_the_server_has_and_verifies()
    {
        var pointers = new List<LfsPointer>();
        for (var i = 0; i < 5; i++)
        {
            var data = new byte[1000 + i];
            new Random(i).NextBytes(data);
            pointers.Add(await CacheAsync(data));
        }
        _server.Seed("repo", File.ReadAllBytes(_store.ObjectPath(pointers[0].Oid)));

        var result = await Queue(new UploadAdapter(_http, _store, TransferProgress.Silent, TimeProvider.System), batchSize: 2).RunAsync(pointers, "refs/heads/main", CancellationToken.None);

        Assert.Empty(result.Failed);
        Assert.Single(result.Skipped);
        Assert.Equal(4, result.Transferred.Count);
        Assert.All(pointers, p => Assert.True(_server.HasObject("repo", p.Oid.Value)));
        Assert.Equal(3, _server.Count("POST", "/objects/batch"));
        Assert.Equal(4, _server.Count("POST", "/verify"));
    }

    [Fact]
    public async Task Fed_while_running_it_downloads_full_batches_before_the_input_ends_and_the_rest_at_the_end()
    {
        var pointers = new List<LfsPointer>();
        for (var i = 0; i < 5; i++)
        {
            var data = new byte[2000 + i];
            new Random(100 + i).NextBytes(data);
            _server.Seed("repo", data);
            pointers.Add(new LfsPointer(StorageServer.Protocol.Oid.Parse(TestFiles.Sha256(data)), data.Length));
        }
        var input = System.Threading.Channels.Channel.CreateUnbounded<LfsPointer>();
        var run = Queue(new DownloadAdapter(_http, _store, TransferProgress.Silent, TimeProvider.System), batchSize: 2)
            .RunAsync(input.Reader, null, TimeSpan.FromSeconds(30), CancellationToken.None);
        foreach (var pointer in pointers[..4].Append(pointers[0])) // a duplicate goes out once
        {
            await input.Writer.WriteAsync(pointer);
        }

        // Two full batches go out and download while the input is still open.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!pointers[..4].All(_store.Contains) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.All(pointers[..4], p => Assert.True(_store.Contains(p)));
        Assert.False(run.IsCompleted);
        Assert.Equal(2, _server.Count("POST", "/objects/batch"));

        // The last one is a partial batch; the linger (30 s) is cut short by the end of the input.
        await input.Writer.WriteAsync(pointers[4]);
        input.Writer.Complete();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(5, result.Transferred.Count);
        Assert.Empty(result.Failed);
        Assert.Equal(3, _server.Count("POST", "/objects/batch"));
        Assert.Equal(5, _server.Count("GET", "/objects/"));
    }

    [Fact]
    public async Task Batch_429_with_retry_after_is_retried_and_per_object_errors_are_reported_with_their_code()
    {
        var present = new byte[5000];
        new Random(9).NextBytes(present);
        _server.Seed("repo", present);
        var erased = new LfsPointer(StorageServer.Protocol.Oid.Parse(new string('e', 64)), 10);
        var missing = new LfsPointer(StorageServer.Protocol.Oid.Parse(new string('d', 64)), 11);
        _server.ObjectErrors[erased.Oid.Value] = 410;
        _server.NextBatchStatuses.Enqueue(429);
        var wanted = new LfsPointer(StorageServer.Protocol.Oid.Parse(TestFiles.Sha256(present)), present.Length);

        var started = TimeProvider.System.GetTimestamp();
        var result = await Queue(new DownloadAdapter(_http, _store, TransferProgress.Silent, TimeProvider.System)).RunAsync([wanted, erased, missing], null, CancellationToken.None);

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9)); // Retry-After: 1 honoured
        Assert.Equal(2, _server.Count("POST", "/objects/batch"));
        Assert.Equal([wanted.Oid], result.Transferred.Select(p => p.Oid));
        Assert.Equal(present, File.ReadAllBytes(_store.ObjectPath(wanted.Oid)));
        Assert.Equal(410, result.Failed.Single(f => f.Pointer.Oid == erased.Oid).Code);
        Assert.Equal(404, result.Failed.Single(f => f.Pointer.Oid == missing.Oid).Code);
    }

    [Fact]
    public async Task Download_that_does_not_match_its_oid_is_rejected_and_not_cached()
    {
        var data = new byte[3000];
        new Random(11).NextBytes(data);
        var oid = TestFiles.Sha256(data);
        _server.Seed("repo", data);
        File.WriteAllBytes(_server.ObjectPath("repo", oid), new byte[3000]); // corrupt it on the server

        var pointer = new LfsPointer(StorageServer.Protocol.Oid.Parse(oid), 3000);
        var result = await Queue(new DownloadAdapter(_http, _store, TransferProgress.Silent, TimeProvider.System)).RunAsync([pointer], null, CancellationToken.None);

        Assert.Contains("expected OID", Assert.Single(result.Failed).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_store.ObjectPath(pointer.Oid)));
        Assert.Equal(1, _server.Count("GET", oid)); // hash mismatches are not retried
    }

    [Fact]
    public async Task Transfer_429_waits_for_retry_after_and_goes_through_a_new_batch()
    {
        var data = new byte[2000];
        new Random(12).NextBytes(data);
        var oid = TestFiles.Sha256(data);
        _server.Seed("repo", data);
        _server.NextTransferStatuses[oid] = new System.Collections.Concurrent.ConcurrentQueue<int>([429]);

        var pointer = new LfsPointer(StorageServer.Protocol.Oid.Parse(oid), data.Length);
        var result = await Queue(new DownloadAdapter(_http, _store, TransferProgress.Silent, TimeProvider.System)).RunAsync([pointer], null, CancellationToken.None);

        Assert.Single(result.Transferred);
        Assert.Equal(2, _server.Count("GET", oid));
        Assert.Equal(2, _server.Count("POST", "/objects/batch"));
    }
}
