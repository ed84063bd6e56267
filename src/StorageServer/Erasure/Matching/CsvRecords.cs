using System.Globalization;
using CsvHelper;

namespace StorageServer.Erasure.Matching;

/// <summary>
/// CSV and TSV read as records with CsvHelper (RFC 4180: a quoted field may hold separators, doubled
/// quotes and line breaks), every record a data record (a header row is matched like any other and,
/// holding no identifier, kept). Each field's decoded value is matched on its own.
/// </summary>
public static class CsvRecords
{
    public static async Task<RecordScan> ScanAsync(
        Stream content, char separator, IdentifierMatcher matcher, Func<ReadOnlySpan<byte>, string> hashRecord, CancellationToken cancellationToken)
    {
        var malformed = false;
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = separator,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = _ => malformed = true,
        };
        var matches = new List<RecordMatch>();
        var records = 0;
        using var reader = CsvReader.Create(content, options, true);
        while (await reader.ReadAsync(cancellationToken))
        {
            records++;
            for (var field = 0; field < reader.FieldCount; field++)
            {
                var identifier = matcher.Find(reader.GetString(field));
                if (identifier < 0)
                {
                    continue;
                }
                var raw = reader.RawRecord;
                matches.Add(new RecordMatch(reader.ByteOffset, raw.Length, records, reader.LineNumber,
                    "column " + (field + 1).ToString(CultureInfo.InvariantCulture), identifier,
                    matches.Count < RecordScanner.HashedExamples ? hashRecord(raw) : null));
                break;
            }
        }
        return new RecordScan(records, matches, malformed);
    }
}
