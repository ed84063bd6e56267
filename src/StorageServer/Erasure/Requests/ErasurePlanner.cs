using System.Globalization;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Scanning;
using StorageServer.Jobs;

namespace StorageServer.Erasure.Requests;

/// <summary>
/// Decides, once per request, what happens to each object: found by a path rule or a tag, the
/// whole object is the subject's and is erased; found only by the content scan in a line-oriented
/// text file (CSV, TSV, JSON Lines) shared with others, it is redacted: its matching lines are
/// recorded by number (never by content) so the redaction can run later, even after a restart.
/// </summary>
public sealed class ErasurePlanner(StorageDbContext db, SubjectIndex index, ContentScanner scanner)
{
    private static readonly string[] LineOrientedExtensions = [".csv", ".tsv", ".jsonl", ".ndjson"];

    public async Task<List<ErasureItem>> PlanAsync(ErasureRequest request, ScanSecrets? secrets, IJobProgress progress, CancellationToken cancellationToken)
    {
        var sources = new Dictionary<string, SubjectSource>(StringComparer.Ordinal);
        foreach (var found in await index.FindAsync(request.SubjectHash, cancellationToken))
        {
            sources[found.Oid] = sources.GetValueOrDefault(found.Oid) | found.Source;
        }
        StreamMatcher? matcher = null;
        if (secrets is not null)
        {
            matcher = new StreamMatcher(secrets.Patterns, secrets.CaseInsensitive);
            foreach (var oid in (await scanner.ScanStoredObjectsAsync(matcher, progress, cancellationToken)).Matches)
            {
                sources[oid] = sources.GetValueOrDefault(oid) | SubjectSource.Scan;
            }
        }

        // Every candidate becomes an item, stored or not: one never uploaded is still tombstoned,
        // so the subject's data a pipeline tagged can never be uploaded later.
        var candidates = sources.Keys.Order(StringComparer.Ordinal).ToList();
        var lineOriented = await LineOrientedAsync(candidates, cancellationToken);
        var items = new List<ErasureItem>();
        foreach (var oid in candidates)
        {
            var item = new ErasureItem { RequestId = request.Id, Oid = oid, Source = sources[oid], Action = ErasureAction.Erase };
            if (matcher is not null && sources[oid] == SubjectSource.Scan && lineOriented.Contains(oid))
            {
                var lines = await scanner.FindLinesAsync(matcher, oid, cancellationToken);
                if (lines.Count > 0)
                {
                    item.Action = ErasureAction.Redact;
                    item.DropLines = string.Join(',', lines.Select(l => l.ToString(CultureInfo.InvariantCulture)));
                }
            }
            items.Add(item);
        }
        return items;
    }

    /// <summary>Of <paramref name="oids"/>, those the pointer index saw only at line-oriented text paths.</summary>
    private async Task<HashSet<string>> LineOrientedAsync(List<string> oids, CancellationToken cancellationToken)
    {
        var paths = await PointerLocations.FindAsync(db, oids, cancellationToken);
        return paths.GroupBy(p => p.Oid)
            .Where(g => g.All(p => LineOrientedExtensions.Any(e => p.Path.EndsWith(e, StringComparison.OrdinalIgnoreCase))))
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
    }

    public static IReadOnlySet<long> ParseLines(string? dropLines) =>
        string.IsNullOrEmpty(dropLines)
            ? new HashSet<long>()
            : dropLines.Split(',').Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToHashSet();
}
