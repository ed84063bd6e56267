using System.Net;
using System.Net.Http.Headers;

namespace StorageServer.Tests.Support;

/// <summary>
/// A request body of <paramref name="size"/> bytes made up as it is sent (a JSON string that
/// never ends, as an attacker's would), with or without a declared length.
/// </summary>
public sealed class GeneratedBodyContent(long size, bool chunked) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'a');
        // Valid JSON all the way: one string that never ends, which a parser must buffer whole.
        "{\"name\":\""u8.CopyTo(chunk);
        try
        {
            for (long sent = 0; sent < size; sent += chunk.Length)
            {
                var count = (int)Math.Min(chunk.Length, size - sent);
                await stream.WriteAsync(chunk.AsMemory(0, count));
                Array.Fill(chunk, (byte)'a', 0, 16);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The server answered without reading the rest and closed the body.
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = size;
        return !chunked;
    }

    public static GeneratedBodyContent Create(long length, string contentType = "application/json", bool chunked = false)
    {
        var content = new GeneratedBodyContent(length, chunked);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
