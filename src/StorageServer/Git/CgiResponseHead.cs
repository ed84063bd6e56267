using System.Globalization;
using System.Text;

namespace StorageServer.Git;

/// <summary>
/// The header block a CGI program (here <c>git http-backend</c>) writes before its body:
/// <c>Name: value</c> lines up to an empty line, <c>Status: 404 Not Found</c> carrying the code.
/// </summary>
public sealed record CgiResponseHead(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>http-backend writes a handful of short headers; anything longer is a broken program.</summary>
    public const int MaxHeadSize = 64 * 1024;

    /// <summary>
    /// Reads the head from <paramref name="output"/>. Returns null when the program ended (or
    /// exceeded <see cref="MaxHeadSize"/>) before the blank line. <c>Body</c> holds the bytes
    /// read past the head, to be sent before copying the rest of the stream.
    /// </summary>
    public static async Task<(CgiResponseHead? Head, ReadOnlyMemory<byte> Body)> ReadAsync(Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = 0;
        var searchFrom = 0;
        while (true)
        {
            var end = FindHeadEnd(buffer.AsSpan(0, length), searchFrom, out var separatorLength);
            if (end >= 0)
            {
                var head = Parse(Encoding.Latin1.GetString(buffer, 0, end));
                return (head, buffer.AsMemory(end + separatorLength, length - end - separatorLength));
            }
            searchFrom = Math.Max(0, length - 3);
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxHeadSize)
                {
                    return (null, ReadOnlyMemory<byte>.Empty);
                }
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var read = await output.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return (null, ReadOnlyMemory<byte>.Empty);
            }
            length += read;
        }
    }

    /// <summary>Parses the head text (without the blank line). Unparseable lines are skipped.</summary>
    public static CgiResponseHead Parse(string head)
    {
        var status = 0;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var rawLine in head.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                _ = int.TryParse(space > 0 ? value[..space] : value, NumberStyles.None, CultureInfo.InvariantCulture, out status);
            }
            else
            {
                headers.Add(new(name, value));
            }
        }
        if (status is < 100 or > 999)
        {
            // RFC 3875 6.3.3: a Location without Status is a redirect; otherwise 200.
            status = headers.Any(h => h.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)) ? 302 : 200;
        }
        return new CgiResponseHead(status, headers);
    }

    /// <summary>Index of the blank line ending the head (CRLF CRLF or LF LF), or -1.</summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> data, int from, out int separatorLength)
    {
        for (var i = from; i < data.Length; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }
            if (i + 1 < data.Length && data[i + 1] == '\n')
            {
                separatorLength = 2;
                return i;
            }
            if (i + 2 < data.Length && data[i + 1] == '\r' && data[i + 2] == '\n')
            {
                separatorLength = 3;
                return i;
            }
        }
        separatorLength = 0;
        return -1;
    }
}
