using System.Text;
using StorageServer.Erasure.Matching;
using StorageServer.Erasure.Redaction;
using StorageServer.TestSupport;

namespace StorageServer.Tests.Erasure;

/// <summary>
/// Redaction against an independent oracle: <c>tests/oracles/erasure_records.py</c> (Python's csv and
/// json modules, written from the README's rules) says what a file must be after a subject's records
/// are removed; the server's record scanner and successor writer must produce exactly those bytes.
/// Hand-made corpus files hold the hard cases (keys that are prefixes, suffixes and substrings of
/// others, numeric keys among dates, quoted multi-line fields, JSON escapes, case, CR LF, a BOM);
/// generated files add volume.
/// </summary>
public sealed class RecordRedactionOracleTests
{
    public static TheoryData<string, string, string[]> Requests() => new()
    {
        { "fold", "c1042", ["c1042", "alice.martin@example.com", "Alice Martin"] },
        { "exact", "c10420", ["c10420", "bob.stone@example.com"] },
        { "exact", "xc1042", ["xc1042"] },
        { "exact", "2024", ["2024"] },
        { "fold", "2024", ["2024", "Eve Numeric"] },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Each_corpus_file_loses_exactly_the_subjects_records_and_keeps_every_other_byte(string @case, string subject, string[] identifiers)
    {
        foreach (var (file, format) in new[] { ("customers.csv", RecordFormat.Csv), ("people.tsv", RecordFormat.Tsv), ("events.jsonl", RecordFormat.JsonLines) })
        {
            var path = Path.Combine(RepoRoot.Path, "tests", "oracles", "corpus", file);
            await AssertMatchesOracleAsync(path, format, @case == "fold", identifiers, $"{file} / {subject}");
        }
    }

    [Fact]
    public async Task Generated_files_agree_with_the_oracle()
    {
        var directory = Directory.CreateTempSubdirectory("erasure-oracle-").FullName;
        try
        {
            var random = new Random(20261206);
            for (var n = 0; n < 24; n++)
            {
                var format = (RecordFormat)(n % 3);
                var path = Path.Combine(directory, $"f{n}" + (format == RecordFormat.Csv ? ".csv" : format == RecordFormat.Tsv ? ".tsv" : ".jsonl"));
                await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(Generated(random, format)));
                var key = Keys[random.Next(Keys.Length)];
                await AssertMatchesOracleAsync(path, format, random.Next(2) == 0, [key], $"{Path.GetFileName(path)} / {key}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly string[] Keys = ["c1042", "c10420", "xc1042", "2024", "ann.lee@mail.example", "Ann Lee"];

    private static readonly string[] Values =
    [
        "c1042", "c10420", "xc1042", "C1042", "c1042-b", "c1042.", "(c1042)", "2024", "2024-05-06", "20240506", "ann.lee@mail.example",
        "ANN.LEE@mail.example", "ann.lee@mail.example.org", "Ann Lee", "ann lee", "Ann Leeds", "x", "", "note, with comma", "two\nlines c1042",
        "quote \" inside", "tab\there", "ünïcode c1042", "c1042'", "O'c1042",
    ];

    private static string Generated(Random random, RecordFormat format)
    {
        var text = new StringBuilder();
        var newline = random.Next(3) == 0 ? "\r\n" : "\n";
        var records = random.Next(1, 12);
        for (var r = 0; r < records; r++)
        {
            var fields = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Values[random.Next(Values.Length)]).ToList();
            if (format == RecordFormat.JsonLines)
            {
                text.Append(System.Text.Json.JsonSerializer.Serialize(fields.ToDictionary(f => "k" + fields.IndexOf(f) + random.Next(1000), f => (object)f)));
            }
            else
            {
                var separator = format == RecordFormat.Csv ? "," : "\t";
                text.AppendJoin(separator, fields.Select(f => f.Contains('"') || f.Contains('\n') || f.Contains(separator) || random.Next(4) == 0 ? "\"" + f.Replace("\"", "\"\"") + "\"" : f));
            }
            if (r < records - 1 || random.Next(2) == 0)
            {
                text.Append(newline);
            }
            if (random.Next(8) == 0)
            {
                text.Append(newline);
            }
        }
        return text.ToString();
    }

    private static async Task AssertMatchesOracleAsync(string path, RecordFormat format, bool fold, string[] identifiers, string what)
    {
        var (expected, counts) = await ErasureOracle.RedactAsync(format switch { RecordFormat.Csv => "csv", RecordFormat.Tsv => "tsv", _ => "jsonl" }, path, fold, identifiers);
        var matcher = new IdentifierMatcher(identifiers, fold);
        RecordScan scan;
        await using (var content = File.OpenRead(path))
        {
            scan = await RecordScanner.ScanAsync(content, format, matcher, _ => "h", CancellationToken.None);
        }
        Assert.False(scan.Malformed, what);
        Assert.Equal(counts, $"{scan.Matches.Count}/{scan.Records}");
        await using var original = File.OpenRead(path);
        using var successor = await SuccessorWriter.WriteAsync(original, scan.Matches.Select(m => new DropRange(m.Start, m.Length)).ToList(), Path.GetTempPath(), CancellationToken.None);
        var actual = await File.ReadAllBytesAsync(successor.Path);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{what}:\nexpected\n{Encoding.UTF8.GetString(expected)}\nactual\n{Encoding.UTF8.GetString(actual)}");
    }
}
