using System.Globalization;
using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// A 200 MB object whose upload, then download, loses its connection half way (a proxy drops it
/// by byte count): git storage finishes both without sending or fetching the first half again,
/// as the server's own byte counters show (resumable tus upload, ranged download).
/// </summary>
public sealed partial class ResumableTransferTests : IAsyncLifetime
{
    private const long Size = 200L * 1024 * 1024;
    private const long Half = Size / 2;

    private readonly GitSandbox _user = new(LfsClient.GitStorage);
    private ServerProcess _server = null!;
    private CuttingProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        await _server.CreateRepoAsync("team/big");
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/big"] = "write" });
        _proxy = new CuttingProxy(_server.Port);
        _user.StoreCredentials(_server.BaseUrl, token, "alice");
        _user.StoreCredentials($"http://127.0.0.1:{_proxy.Port}", token, "alice");
    }

    private string LfsUrlThroughProxy => $"http://127.0.0.1:{_proxy.Port}/team/big.git/info/lfs";

    [Fact]
    public async Task A_dropped_upload_and_a_dropped_download_of_200_MB_each_finish_without_resending_the_first_half()
    {
        var work = _user.PathOf("work");
        _user.Run(_user.Root, "clone", "-q", $"{_server.BaseUrl}/team/big.git", work);
        _user.Run(work, "config", "lfs.url", LfsUrlThroughProxy);
        _user.Run(work, "storage", "track", "*.bin");
        var oid = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, "model.bin"), Size, seed: 16));
        _user.Run(work, "add", "-A");
        _user.Run(work, "commit", "-qm", "model");

        var receivedBefore = await CounterAsync("received");
        _proxy.CutUpstreamOnceAfter(Half);
        var push = _user.Run(work, "push", "origin", "main");
        var received = await CounterAsync("received") - receivedBefore;
        Assert.Equal(1, _proxy.Cuts);
        Assert.Contains("upload interrupted", push.Error, StringComparison.Ordinal);
        Assert.Contains("retrying in", push.Error, StringComparison.Ordinal);
        // A restart from zero costs at least Size + Half; what may be counted twice is only what
        // was in flight in socket buffers at the cut (a few MB on loopback).
        Assert.InRange(received, Size, Size + Half / 2);

        var clone = _user.PathOf("clone");
        var sentBefore = await CounterAsync("sent");
        _proxy.CutDownstreamOnceAfter(Half);
        var cloned = _user.Run(_user.Root, "clone", "-q", "-c", "lfs.url=" + LfsUrlThroughProxy, $"{_server.BaseUrl}/team/big.git", clone);
        var sent = await CounterAsync("sent") - sentBefore;
        Assert.Equal(2, _proxy.Cuts);
        Assert.Contains("download interrupted", cloned.Error, StringComparison.Ordinal);
        Assert.Equal(oid, TestFiles.Sha256(Path.Combine(clone, "model.bin")));
        // Past the cut the server had filled the sockets' buffers, and the client's unread buffer
        // was lost with the connection: those megabytes come again, the first half does not.
        Assert.InRange(sent, Size, Size + Half / 2);
    }

    /// <summary>The server's <c>storageserver_http_{received|sent}_bytes_total</c> for LFS transfers.</summary>
    private async Task<long> CounterAsync(string direction)
    {
        using var client = _server.CreateClient();
        var text = await client.GetStringAsync("/metrics");
        var match = Regex.Match(text, $@"^storageserver_http_{direction}_bytes_total\{{kind=""lfs_transfer""\}} (\d+)$", RegexOptions.Multiline);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
        _user.Dispose();
    }
}
