using System.Buffers;

namespace StorageServer.Lfs.Resumable;

/// <summary>
/// Appends a PATCH body to a partial upload at the offset the client names. Everything read is
/// written and flushed to disk even when the client hangs up half way: that is the point of a
/// resumable upload. An offset other than what the server holds is a 409 carrying the real
/// offset; more bytes than the object's size are refused and cut off again.
/// </summary>
internal static class PartialUploadWriter
{
    private const int ChunkSize = 256 * 1024;

    public static async Task<(long Offset, IResult? Error)> AppendAsync(
        PartialUploadStore store, PartialUpload upload, long offset, long size, HttpContext context, CancellationToken cancellationToken)
    {
        await using var file = store.OpenForAppend(upload.Key);
        if (file is null)
        {
            return (offset, Conflict(context, store.OffsetOf(upload.Key), "Another request is writing this upload right now; ask for the offset with HEAD and continue from there."));
        }
        if (file.Length != offset)
        {
            return (file.Length, Conflict(context, file.Length, $"The server holds {file.Length} bytes of this upload, not {offset}; continue from there."));
        }
        var remaining = size - offset;
        var chunk = Storage.StreamReading.ChunkFor(remaining, ChunkSize);
        var buffer = ArrayPool<byte>.Shared.Rent(chunk);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await context.Request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(chunk, remaining + 1)), cancellationToken);
                }
                catch (BadHttpRequestException) when (!cancellationToken.IsCancellationRequested)
                {
                    return (file.Length, LfsResults.Error(StatusCodes.Status400BadRequest,
                        $"The request body ended early; the server keeps the {file.Length} bytes it has. Ask for the offset with HEAD and continue."));
                }
                if (read == 0)
                {
                    break;
                }
                if (read > remaining)
                {
                    file.SetLength(offset);
                    return (offset, LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"More bytes than the object's {size}; the extra was not kept."));
                }
                // Not cancellable: bytes already received are kept even if the client is gone.
                await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                remaining -= read;
            }
            return (file.Length, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            file.Flush(flushToDisk: true);
        }
    }

    private static IResult Conflict(HttpContext context, long actual, string message)
    {
        context.Response.Headers["Upload-Offset"] = actual.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return LfsResults.Error(StatusCodes.Status409Conflict, message);
    }
}
