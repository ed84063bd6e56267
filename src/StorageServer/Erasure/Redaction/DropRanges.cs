using System.Globalization;
using System.Text;

namespace StorageServer.Erasure.Redaction;

/// <summary>A removed record: its bytes in the original, without the line break (which goes with it).</summary>
public readonly record struct DropRange(long Start, long Length);

/// <summary>The stored form of a redaction's removed records: <c>start+length</c>, comma-separated, in file order.</summary>
public static class DropRanges
{
    public static string Format(IEnumerable<DropRange> ranges)
    {
        var text = new StringBuilder();
        foreach (var range in ranges)
        {
            text.Append(text.Length == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{range.Start}+{range.Length}");
        }
        return text.ToString();
    }

    public static List<DropRange> Parse(string? stored) =>
        string.IsNullOrEmpty(stored)
            ? []
            : stored.Split(',').Select(part =>
            {
                var plus = part.IndexOf('+', StringComparison.Ordinal);
                return new DropRange(long.Parse(part[..plus], CultureInfo.InvariantCulture), long.Parse(part[(plus + 1)..], CultureInfo.InvariantCulture));
            }).OrderBy(r => r.Start).ToList();
}
