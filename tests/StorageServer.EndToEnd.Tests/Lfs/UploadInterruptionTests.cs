using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Lfs;

/// <summary>
/// What happens to an upload in flight when the server dies (SIGKILL) or is asked to stop
/// (SIGTERM): the first leaves nothing behind, the second lets the upload finish.
/// </summary>
public sealed class UploadInterruptionTests : IAsyncLifetime
{
    private const string Repo = "team/data";
    private const long Size = 64L * 1024 * 1024;

    private readonly string _filesDir = Directory.CreateTempSubdirectory("lfs-interrupt-").FullName;
    private ServerProcess _server = null!;
    private string _token = "";
    private string _file = "";
    private string _oid = "";

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        await _server.CreateRepoAsync(Repo);
        _token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        _file = TestFiles.Write(Path.Combine(_filesDir, "object.bin"), Size, 7);
        _oid = TestFiles.Sha256(_file);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_filesDir, recursive: true);
    }

    private string TempDir => Path.Combine(_server.DataDir, "objects", ".tmp");

    private string[] TempFiles() => Directory.Exists(TempDir) ? Directory.GetFiles(TempDir, "*", SearchOption.AllDirectories) : [];

    private async Task<JsonElement> BatchAsync(string operation)
    {
        using var client = _server.CreateClient(_token);
        using var response = await client.PostAsJsonAsync($"/{Repo}.git/info/lfs/objects/batch",
            new { operation, objects = new[] { new { oid = _oid, size = Size } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("objects")[0];
    }

    private static HttpRequestMessage Put(JsonElement entry, HttpContent content)
    {
        var upload = entry.GetProperty("actions").GetProperty("upload");
        var request = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("href").GetString()) { Content = content };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(upload.GetProperty("header").GetProperty("Authorization").GetString()!);
        return request;
    }

    /// <summary>Starts a PUT whose body stops after half the object until <paramref name="gate"/> opens.</summary>
    private async Task<(Task<HttpResponseMessage> Put, HttpClient Client)> StartHalfUploadAsync(TaskCompletionSource gate)
    {
        var entry = await BatchAsync("upload");
        var client = _server.CreateClient();
        var body = new StreamContent(new GatedFileStream(_file, Size / 2, gate.Task));
        body.Headers.ContentLength = Size;
        var put = client.SendAsync(Put(entry, body), HttpCompletionOption.ResponseHeadersRead);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!TempFiles().Any(f => new FileInfo(f).Length > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(TempFiles().Length > 0, "the upload never reached the store's temporary file");
        return (put, client);
    }

    private async Task AssertDownloadsIntactAsync()
    {
        var entry = await BatchAsync("download");
        var download = entry.GetProperty("actions").GetProperty("download");
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, download.GetProperty("href").GetString());
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(download.GetProperty("header").GetProperty("Authorization").GetString()!);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var copy = Path.Combine(_filesDir, "downloaded.bin");
        await using (var target = File.Create(copy))
        {
            await response.Content.CopyToAsync(target);
        }
        Assert.Equal(_oid, TestFiles.Sha256(copy));
    }

    [Fact]
    public async Task A_server_killed_mid_upload_keeps_nothing_and_a_retry_succeeds()
    {
        var gate = new TaskCompletionSource();
        var (put, client) = await StartHalfUploadAsync(gate);
        using (client)
        {
            await _server.KillAsync();
            // Let the body flow again first: a request whose body is paused only learns that
            // the server died when it next writes (otherwise at HttpClient's timeout).
            gate.SetResult();
            var failure = await Record.ExceptionAsync(() => put.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.NotNull(failure);
            Assert.IsNotType<TimeoutException>(failure);
        }

        await _server.StartAsync(); // same data directory and port
        Assert.Empty(TempFiles());
        var entry = await BatchAsync("download");
        Assert.Equal(404, entry.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.DataDir, "objects"), _oid, SearchOption.AllDirectories));

        var retry = await BatchAsync("upload");
        using var retryClient = _server.CreateClient();
        using var content = new StreamContent(File.OpenRead(_file));
        using var response = await retryClient.SendAsync(Put(retry, content));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertDownloadsIntactAsync();
    }

    [Fact]
    public async Task A_graceful_stop_lets_an_upload_in_flight_finish()
    {
        var gate = new TaskCompletionSource();
        var (put, client) = await StartHalfUploadAsync(gate);
        using (client)
        {
            var stop = _server.StopGracefullyAsync(TimeSpan.FromMinutes(2));
            await Task.Delay(1000); // SIGTERM is being handled while half the body is still missing
            Assert.False(stop.IsCompleted, "the server stopped without waiting for the upload");
            gate.SetResult();
            using var response = await put.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await stop;
        }

        await _server.StartAsync();
        await AssertDownloadsIntactAsync();
    }

    /// <summary>Reads a file, pausing after <paramref name="pauseAt"/> bytes until <paramref name="gate"/> completes.</summary>
    private sealed class GatedFileStream(string path, long pauseAt, Task gate) : Stream
    {
        private readonly FileStream _file = File.OpenRead(path);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_file.Position >= pauseAt)
            {
                await gate.WaitAsync(cancellationToken);
            }
            else if (_file.Position + buffer.Length > pauseAt)
            {
                buffer = buffer[..(int)(pauseAt - _file.Position)];
            }
            return await _file.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
