using System.Buffers;

namespace StorageServer.Erasure.Scanning;

/// <summary>
/// Reads a stream as lines, each with its terminator (<c>\n</c>, or <c>\r\n</c>), the last one
/// possibly without, so writing every line back reproduces the input byte for byte.
/// </summary>
public static class LineReader
{
    /// <summary>Calls <paramref name="onLine"/> with each line's number (from 0) and bytes, terminator included.</summary>
    public static async Task ForEachLineAsync(Stream content, Func<long, ReadOnlyMemory<byte>, ValueTask> onLine, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var line = new ArrayBufferWriter<byte>();
        long number = 0;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, 64 * 1024), cancellationToken)) > 0)
            {
                var start = 0;
                while (start < read)
                {
                    var newline = buffer.AsSpan(start, read - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        line.Write(buffer.AsSpan(start, read - start));
                        break;
                    }
                    line.Write(buffer.AsSpan(start, newline + 1));
                    await onLine(number++, line.WrittenMemory);
                    line.Clear();
                    start += newline + 1;
                }
            }
            if (line.WrittenCount > 0)
            {
                await onLine(number, line.WrittenMemory);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
