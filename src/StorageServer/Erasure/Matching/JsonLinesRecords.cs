using System.Buffers;
using System.Text;
using System.Text.Json;
using StorageServer.Erasure.Scanning;

namespace StorageServer.Erasure.Matching;

/// <summary>
/// JSON Lines read one line (one record) at a time. Every string value is matched with its escapes
/// decoded (<c>"ali\u0063e"</c> is <c>alice</c>), every number by its text as written; property names
/// are not values. A line that is not JSON is matched as one text value. Blank lines are not records.
/// </summary>
public static class JsonLinesRecords
{
    public static async Task<RecordScan> ScanAsync(Stream content, IdentifierMatcher matcher, Func<ReadOnlySpan<byte>, string> hashRecord, CancellationToken cancellationToken)
    {
        var matches = new List<RecordMatch>();
        var records = 0;
        long offset = 0;
        await LineReader.ForEachLineAsync(content, (number, line) =>
        {
            var start = offset;
            offset += line.Length;
            var body = TrimLineBreak(line.Span);
            if (IsBlank(body))
            {
                return ValueTask.CompletedTask;
            }
            records++;
            if (Find(body, matcher) is { } found)
            {
                matches.Add(new RecordMatch(start, body.Length, records, number + 1, found.Field, found.Identifier,
                    matches.Count < RecordScanner.HashedExamples ? hashRecord(body) : null));
            }
            return ValueTask.CompletedTask;
        }, cancellationToken);
        return new RecordScan(records, matches, false);
    }

    private static (string Field, int Identifier)? Find(ReadOnlySpan<byte> line, IdentifierMatcher matcher)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            var property = "$";
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        // A property name that is itself an identifier is not shown in the preview.
                        property = matcher.Find(name) >= 0 ? "*" : name;
                        break;
                    case JsonTokenType.String:
                        if (matcher.Find(reader.GetString()!) is var text and >= 0)
                        {
                            return (property, text);
                        }
                        break;
                    case JsonTokenType.Number:
                        if (matcher.Find(Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)) is var number and >= 0)
                        {
                            return (property, number);
                        }
                        break;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            var text = matcher.Find(Encoding.UTF8.GetString(line));
            return text >= 0 ? ("line", text) : null;
        }
    }

    private static ReadOnlySpan<byte> TrimLineBreak(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\n"u8))
        {
            line = line[..^1];
        }
        return line.EndsWith("\r"u8) ? line[..^1] : line;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t"u8).IsEmpty;
}
