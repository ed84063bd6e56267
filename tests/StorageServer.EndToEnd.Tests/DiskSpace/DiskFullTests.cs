using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.DiskSpace;

/// <summary>
/// The data directory on a real, small filesystem (a 64 MiB tmpfs) filled to the last byte:
/// uploads and pushes are refused with 507 and a clear message (Retry-After on LFS), readiness
/// goes 503 naming the disk, clones and downloads keep working, and the server restarts on the
/// full disk, after a crash and after a clean stop. Needs root (mount).
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private const string Repo = "team/data";
    private readonly GitSandbox _git = new();
    private readonly string _mount = Directory.CreateTempSubdirectory("disk-full-").FullName;
    private ServerProcess _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", _mount);
        _server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            // Above the 8 MiB reserve: releasing it at a start leaves the node below the floor still.
            ["DiskSpace__MinFreeBytes"] = (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DiskSpace__RetryAfterSeconds"] = "1",
        }, dataDir: Path.Combine(_mount, "data"));
        _server.StartedProbe = "/healthz/live";
        await _server.CreateRepoAsync(Repo);
        _token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        _git.StoreCredentials(_server.BaseUrl, _token, "alice");
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
        finally
        {
            await RunAsync("umount", "--lazy", _mount);
            Directory.Delete(_mount);
            _git.Dispose();
        }
    }

    [Fact]
    public async Task A_full_disk_refuses_writes_clearly_keeps_reads_and_restarts()
    {
        var work = _git.PathOf("work");
        _git.Run(_git.Root, "clone", $"{_server.BaseUrl}/{Repo}.git", work);
        _git.Run(work, "lfs", "track", "*.bin");
        var first = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, "first.bin"), 2 * 1024 * 1024, 1));
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "first");
        _git.Run(work, "push", "origin", "main");

        var filler = Fill();
        await AssertReadinessAsync(HttpStatusCode.ServiceUnavailable, "DiskSpace:MinFreeBytes");

        // Uploads: 507 in LFS JSON with Retry-After, before a byte is stored; git-lfs shows the message.
        var (bytes, oid) = Content(1024 * 1024, 2);
        using (var put = await UploadAsync(bytes, oid))
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, put.StatusCode);
            Assert.Equal("application/vnd.git-lfs+json", put.Content.Headers.ContentType?.MediaType);
            Assert.Contains("disk is full", JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(1), put.Headers.RetryAfter?.Delta);
        }
        TestFiles.Write(Path.Combine(work, "second.bin"), 1024 * 1024, 3);
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "second");
        var lfsPush = _git.TryRun(work, "-c", "lfs.transfer.maxretries=1", "push", "origin", "main");
        Assert.NotEqual(0, lfsPush.ExitCode);
        Assert.Contains("disk is full", lfsPush.Error, StringComparison.Ordinal);
        var gitPush = _git.TryRun(work, "push", "--no-verify", "origin", "main");
        Assert.NotEqual(0, gitPush.ExitCode);
        Assert.Contains("remote: StorageServer: the server's disk is full", gitPush.Error, StringComparison.Ordinal);

        // Reads go on: a clone with its LFS content, after a crash and restart on the full disk too.
        AssertClones("clone-1", first);
        await _server.KillAsync();
        await _server.StartAsync();
        AssertClones("clone-2", first);
        await AssertReadinessAsync(HttpStatusCode.ServiceUnavailable, "disk-space");

        // Room again: uploads work; then a clean stop (SQLite folds its journal away), a full disk
        // again, and still the node starts, on the space it kept in reserve.
        File.Delete(filler);
        await AssertReadinessAsync(HttpStatusCode.OK, "Healthy");
        using (var put = await UploadAsync(bytes, oid))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await _server.StopGracefullyAsync(TimeSpan.FromSeconds(60));
        await _server.StartAsync(); // a start with room puts the reserve back
        Assert.True(File.Exists(Path.Combine(_server.DataDir, "reserved-space")), "no space was kept in reserve");
        await _server.StopGracefullyAsync(TimeSpan.FromSeconds(60));
        Assert.False(File.Exists(Path.Combine(_server.DataDir, "storageserver.db-shm")), "SQLite kept its shared-memory file: nothing to prove");
        Fill();
        await _server.StartAsync();
        Assert.Contains("released the", _server.Log, StringComparison.Ordinal);
        AssertClones("clone-3", first);
    }

    /// <summary>Writes zeros next to the data directory until the filesystem has no byte left.</summary>
    private string Fill()
    {
        var path = Path.Combine(_mount, $"filler-{Guid.NewGuid():N}");
        var zeros = new byte[64 * 1024];
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            try
            {
                while (true)
                {
                    file.Write(zeros);
                }
            }
            catch (IOException)
            {
                // ENOSPC: the filesystem is full.
            }
        }
        Assert.Equal(0, new DriveInfo(_mount).AvailableFreeSpace);
        return path;
    }

    private void AssertClones(string name, string expectedHash)
    {
        var clone = _git.PathOf(name);
        _git.Run(_git.Root, "clone", $"{_server.BaseUrl}/{Repo}.git", clone);
        Assert.Equal(expectedHash, TestFiles.Sha256(Path.Combine(clone, "first.bin")));
    }

    private async Task AssertReadinessAsync(HttpStatusCode expected, string text)
    {
        using var client = _server.CreateClient();
        using var ready = await client.GetAsync("/healthz/ready");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == expected, $"readiness {(int)ready.StatusCode}: {body}");
        Assert.Contains(text, body, StringComparison.Ordinal);
    }

    /// <summary>Batch upload, then PUT to the href it gives (or the batch's answer if it gives none).</summary>
    private async Task<HttpResponseMessage> UploadAsync(byte[] bytes, string oid)
    {
        using var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + _token)));
        var json = $$"""{"operation":"upload","objects":[{"oid":"{{oid}}","size":{{bytes.Length}}}]}""";
        using var batch = await client.PostAsync($"/{Repo}.git/info/lfs/objects/batch", new StringContent(json, Encoding.UTF8, "application/vnd.git-lfs+json"));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var upload = JsonDocument.Parse(await batch.Content.ReadAsStringAsync()).RootElement.GetProperty("objects")[0].GetProperty("actions").GetProperty("upload");
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(upload.GetProperty("href").GetString()!).PathAndQuery) { Content = new ByteArrayContent(bytes) };
        request.Headers.TryAddWithoutValidation("Authorization", upload.GetProperty("header").GetProperty("Authorization").GetString());
        using var plain = _server.CreateClient();
        return await plain.SendAsync(request);
    }

    private static (byte[] Bytes, string Oid) Content(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (bytes, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {error} (this test needs root to mount a small tmpfs)");
    }
}
