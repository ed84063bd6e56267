using System.Buffers;
using System.Globalization;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Objects;

/// <summary>
/// Serves an object from a store that has no local file (e.g. S3), streaming it with a
/// Content-Length and single-range support: 206 with Content-Range, 416 when unsatisfiable.
/// </summary>
public sealed class StreamedObjectResult(IObjectStore store, Oid oid, long size) : IResult
{
    private const int BufferSize = 256 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        var range = ByteRange.Parse(request.Headers.Range, size, out var satisfiable);
        response.Headers.AcceptRanges = "bytes";
        if (!satisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{size.ToString(CultureInfo.InvariantCulture)}";
            response.ContentLength = 0;
            return;
        }
        var start = range?.Start ?? 0;
        var length = range?.Length ?? size;
        await using var content = await store.OpenReadAsync(oid, start, httpContext.RequestAborted);
        if (content is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentLength = 0;
            return;
        }
        response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        if (range is { } r)
        {
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {r.Start}-{r.End}/{size}");
        }
        response.ContentType = Protocol.LfsMediaTypes.OctetStream;
        response.ContentLength = length;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), httpContext.RequestAborted);
                if (read == 0)
                {
                    throw new IOException($"Object {oid} ended {remaining} bytes early in store {store.Name}.");
                }
                await response.Body.WriteAsync(buffer.AsMemory(0, read), httpContext.RequestAborted);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
