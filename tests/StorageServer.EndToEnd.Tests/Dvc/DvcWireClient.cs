using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// Sends exactly what a DVC 3 client (dvc-http on aiohttp 3.8.4) sends to an HTTP remote, as
/// <c>dvc-http-remote-notes.md</c> records it: the same headers in the same order on every request
/// (pre-emptive credentials, <c>Accept-Encoding: identity</c> on HEAD), existence checks as a GET
/// that hangs up after the headers, manifests read with HEAD and then 5 MiB Range GETs, uploads as
/// chunked POST (or PUT) with one chunk per 5 MiB. Keep-alive connections are reused as aiohttp
/// does; every exchange is logged as the notes' §7 log is (method, path, status).
/// </summary>
public sealed class DvcWireClient(int port, string remotePath, string? authorization) : IAsyncDisposable
{
    public const int BlockSize = 5 * 1024 * 1024;

    private readonly ConcurrentBag<WireConnection> _idle = [];

    /// <summary>Every exchange, in order: <c>METHOD path -> status</c>.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public static string FilePath(string md5, bool manifest = false) => $"files/md5/{md5[..2]}/{md5[2..]}{(manifest ? ".dir" : "")}";

    public static string LegacyPath(string md5, bool manifest = false) => $"{md5[..2]}/{md5[2..]}{(manifest ? ".dir" : "")}";

    /// <summary>fsspec <c>_exists</c>: GET without Range, status and headers only, then the connection is dropped when a body follows.</summary>
    public Task<WireResponse> ExistsAsync(string path) => SendAsync("GET", path, readBody: false);

    /// <summary>The whole object, as <c>_get_file</c> downloads it.</summary>
    public Task<WireResponse> DownloadAsync(string path) => SendAsync("GET", path);

    public Task<WireResponse> HeadAsync(string path) => SendAsync("HEAD", path);

    public Task<WireResponse> RangeAsync(string path, long first, long last) =>
        SendAsync("GET", path, range: string.Create(CultureInfo.InvariantCulture, $"bytes={first}-{last}"));

    /// <summary>The probe of pull/fetch: <c>GET &lt;url&gt;/files/md5</c> (its answer is ignored by DVC).</summary>
    public Task<WireResponse> ProbeAsync(string path = "files/md5") => SendAsync("GET", path);

    /// <summary>An upload: <c>Transfer-Encoding: chunked</c>, never a Content-Length, one chunk per 5 MiB read, an empty file as a bare last chunk.</summary>
    public Task<WireResponse> UploadAsync(string path, byte[] content, string method = "POST")
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset < content.Length; offset += BlockSize)
        {
            chunks.Add(content.AsMemory(offset, Math.Min(BlockSize, content.Length - offset)));
        }
        return SendAsync(method, path, chunks: chunks);
    }

    /// <summary>
    /// fsspec <c>open()</c> of a manifest: HEAD for the size (if it fails, the same request as a
    /// GET), then Range GETs of 5 MiB blocks. Returns null when the manifest cannot be read.
    /// </summary>
    public async Task<byte[]?> ReadManifestAsync(string path)
    {
        var head = await HeadAsync(path);
        var sized = head.Status < 400 ? head : await SendAsync("GET", path);
        if (sized.Status >= 400 || sized.ContentLength is not { } size)
        {
            return null;
        }
        var content = new MemoryStream();
        for (long first = 0; first < size; first += BlockSize)
        {
            var block = await RangeAsync(path, first, Math.Min(first + BlockSize, size) - 1);
            if (block.Status != 206)
            {
                return null;
            }
            content.Write(block.Body);
        }
        return content.ToArray();
    }

    public async Task<WireResponse> SendAsync(string method, string path, IReadOnlyList<ReadOnlyMemory<byte>>? chunks = null, string? range = null, bool readBody = true)
    {
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(remotePath).Append(path.Length == 0 ? "" : "/" + path).Append(" HTTP/1.1\r\n")
            .Append("Host: 127.0.0.1:").Append(port.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Accept: */*\r\n")
            .Append("Accept-Encoding: ").Append(method == "HEAD" ? "identity" : "gzip, deflate").Append("\r\n")
            .Append("User-Agent: Python/3.11 aiohttp/3.8.4\r\n");
        if (authorization is not null)
        {
            head.Append("Authorization: ").Append(authorization).Append("\r\n");
        }
        if (range is not null)
        {
            head.Append("Range: ").Append(range).Append("\r\n");
        }
        if (chunks is not null)
        {
            head.Append("Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n");
        }
        head.Append("\r\n");
        var connection = _idle.TryTake(out var idle) ? idle : await WireConnection.OpenAsync(port);
        WireResponse response;
        try
        {
            try
            {
                await connection.SendAsync(head.ToString(), chunks);
            }
            catch (IOException)
            {
                // The server answered and closed before the whole body went (a refused upload): read its answer.
            }
            // An existence check leaves the body unread: the connection is dropped, as aiohttp does.
            response = await connection.ReceiveAsync(readBody, method == "HEAD");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        if (connection.Reusable)
        {
            _idle.Add(connection);
        }
        else
        {
            await connection.DisposeAsync();
        }
        Log.Enqueue($"{method} {remotePath}/{path} -> {response.Status}");
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }
    }
}
