namespace StorageServer.Erasure.Matching;

/// <summary>
/// One record holding an identifier: where its bytes are in the file (without its line break),
/// its 1-based number among the file's records and the line it starts on, the field that matched
/// (<c>column 3</c>, or the JSON property) and which identifier (0-based, in the order given).
/// <paramref name="Hash"/> is a keyed hash of the record's bytes, computed for the first few only.
/// </summary>
public sealed record RecordMatch(long Start, int Length, int Record, long Line, string Field, int Identifier, string? Hash);

/// <summary>What reading a file as records found.</summary>
/// <param name="Records">Records in the file (blank lines are not records).</param>
/// <param name="Matches">The records holding an identifier, in file order.</param>
/// <param name="Malformed">The file did not parse cleanly as its format (bad quoting): its records cannot be trusted.</param>
public sealed record RecordScan(int Records, IReadOnlyList<RecordMatch> Matches, bool Malformed);

/// <summary>Reads a file as records of its format and finds those holding an identifier.</summary>
public static class RecordScanner
{
    /// <summary>How many matches get a keyed hash (the preview shows a few examples, never content).</summary>
    public const int HashedExamples = 3;

    public static Task<RecordScan> ScanAsync(
        Stream content, RecordFormat format, IdentifierMatcher matcher, Func<ReadOnlySpan<byte>, string> hashRecord, CancellationToken cancellationToken) =>
        format == RecordFormat.JsonLines
            ? JsonLinesRecords.ScanAsync(content, matcher, hashRecord, cancellationToken)
            : CsvRecords.ScanAsync(content, format == RecordFormat.Tsv ? '\t' : ',', matcher, hashRecord, cancellationToken);
}
