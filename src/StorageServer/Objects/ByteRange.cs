using Microsoft.Net.Http.Headers;

namespace StorageServer.Objects;

/// <summary>
/// A single byte range of an object, parsed from a <c>Range</c> header. Used where the store
/// cannot hand a file to ASP.NET Core's own range handling. Several ranges are served as the
/// whole object (allowed by RFC 9110; git-lfs only ever asks for one).
/// </summary>
public readonly record struct ByteRange(long Start, long Length)
{
    public long End => Start + Length - 1;

    /// <summary>
    /// Null range with satisfiable=true: serve everything (no or unusable Range header).
    /// satisfiable=false: answer 416.
    /// </summary>
    public static ByteRange? Parse(string? header, long total, out bool satisfiable)
    {
        satisfiable = true;
        if (string.IsNullOrEmpty(header) || !RangeHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || value.Ranges.Count != 1)
        {
            return null;
        }
        var range = value.Ranges.Single();
        long start, end;
        if (range.From is { } from)
        {
            start = from;
            end = range.To is { } to ? Math.Min(to, total - 1) : total - 1;
        }
        else if (range.To is { } suffix && suffix > 0)
        {
            start = Math.Max(0, total - suffix);
            end = total - 1;
        }
        else
        {
            satisfiable = false;
            return null;
        }
        if (start >= total || end < start)
        {
            satisfiable = false;
            return null;
        }
        return new ByteRange(start, end - start + 1);
    }
}
