using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// One HTTP/1.1 request over a bare socket, sending a body of any size made up on the fly, as an
/// attacker would, or stopping partway to hold it open. The answer's status line is read
/// concurrently, so a server that answers before reading the body is seen doing so.
/// </summary>
public sealed class RawHttpRequest : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private Stream _stream = Stream.Null;

    /// <summary>Bytes of the body the socket accepted.</summary>
    public long BytesSent { get; private set; }

    public static async Task<RawHttpRequest> OpenAsync(int port, string method, string path, string contentType, long? contentLength, IDictionary<string, string>? headers = null)
    {
        var request = new RawHttpRequest();
        await request._client.ConnectAsync(IPAddress.Loopback, port);
        request._stream = request._client.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {contentType}\r\n");
        head.Append(contentLength is { } length ? $"Content-Length: {length}\r\n" : "Transfer-Encoding: chunked\r\n");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            head.Append($"{name}: {value}\r\n");
        }
        await request._stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        return request;
    }

    /// <summary>
    /// Writes <paramref name="total"/> body bytes (a JSON string that never ends) in chunks, or
    /// fewer if the server closes the connection first; chunked framing when no length was declared.
    /// </summary>
    public async Task SendBodyAsync(long total, bool chunked, CancellationToken cancellationToken)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        try
        {
            while (BytesSent < total)
            {
                if (BytesSent == 0)
                {
                    // Valid JSON all the way: one string that never ends, which a parser must buffer whole.
                    "{\"name\":\""u8.CopyTo(chunk);
                }
                var count = (int)Math.Min(chunk.Length, total - BytesSent);
                if (chunked)
                {
                    await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{count:x}\r\n"), cancellationToken);
                }
                await _stream.WriteAsync(chunk.AsMemory(0, count), cancellationToken);
                if (chunked)
                {
                    await _stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                }
                BytesSent += count;
                if (BytesSent == count)
                {
                    Array.Fill(chunk, (byte)'a');
                }
            }
        }
        catch (IOException)
        {
            // The server closed the connection: it will not read the rest.
        }
    }

    /// <summary>The status code of the answer, or 0 when the connection closed without one.</summary>
    public async Task<int> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[12];
        var filled = 0;
        try
        {
            while (filled < buffer.Length)
            {
                var read = await _stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    return 0;
                }
                filled += read;
            }
        }
        catch (IOException)
        {
            return 0;
        }
        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
