using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// One keep-alive HTTP/1.1 connection driven byte by byte, because HttpClient would change the
/// request's shape: DVC (aiohttp) sends its headers in a fixed order and every upload as
/// <c>Transfer-Encoding: chunked</c> with one chunk per 5 MiB read, an empty file as a bare
/// <c>0\r\n\r\n</c>. Responses are parsed by hand (Content-Length or chunked bodies).
/// </summary>
public sealed class WireConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private WireConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>False once the server closed the connection or a body was left unread.</summary>
    public bool Reusable { get; private set; } = true;

    public static async Task<WireConnection> OpenAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        return new WireConnection(client);
    }

    /// <summary>Writes the request head, then each chunk of <paramref name="chunks"/> in chunked framing (null: no body).</summary>
    public async Task SendAsync(string head, IReadOnlyList<ReadOnlyMemory<byte>>? chunks)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (chunks is null)
        {
            return;
        }
        foreach (var chunk in chunks.Where(c => c.Length > 0))
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            await _stream.WriteAsync(chunk);
            await _stream.WriteAsync("\r\n"u8.ToArray());
        }
        await _stream.WriteAsync("0\r\n\r\n"u8.ToArray());
    }

    /// <summary>Reads the status line and headers, then the body unless <paramref name="readBody"/> is false (the connection is then not reusable).</summary>
    public async Task<WireResponse> ReceiveAsync(bool readBody, bool isHead = false)
    {
        var statusLine = await ReadLineAsync() ?? throw new IOException("The server closed the connection before answering.");
        var parts = statusLine.Split(' ', 3);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await ReadLineAsync() is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var reason = parts.Length > 2 ? parts[2] : string.Empty;
        if (headers.TryGetValue("Connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase))
        {
            Reusable = false;
        }
        if (isHead || status is 204 or 304)
        {
            return new WireResponse(status, reason, headers, null);
        }
        if (!readBody)
        {
            Reusable = false;
            return new WireResponse(status, reason, headers, null);
        }
        var body = headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? await ReadChunkedAsync()
            : await ReadExactlyAsync(headers.TryGetValue("Content-Length", out var length) ? long.Parse(length, CultureInfo.InvariantCulture) : 0);
        return new WireResponse(status, reason, headers, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }

    private async Task<byte[]> ReadChunkedAsync()
    {
        var body = new MemoryStream();
        while (true)
        {
            var size = long.Parse((await ReadLineAsync())!.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (await ReadLineAsync() is { Length: > 0 })
                {
                }
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(size));
            await ReadLineAsync();
        }
    }

    private async Task<byte[]> ReadExactlyAsync(long count)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync())
            {
                throw new EndOfStreamException($"Body ended after {copied} of {count} bytes.");
            }
            var take = (int)Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }
        return result;
    }

    private async Task<string?> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync())
            {
                Reusable = false;
                return line.Length > 0 ? line.ToString() : null;
            }
            var b = _buffer[_start++];
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }
            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync()
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer);
        return _end > 0;
    }
}
