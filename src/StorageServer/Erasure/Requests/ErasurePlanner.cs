using System.Text.Json;
using Microsoft.Extensions.Options;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Matching;
using StorageServer.Erasure.Preview;
using StorageServer.Erasure.Redaction;
using StorageServer.Erasure.Scanning;
using StorageServer.Jobs;

namespace StorageServer.Erasure.Requests;

/// <summary>
/// Decides, once per request, what happens to each object; the result is the preview an admin
/// approves. Found by a path rule or a tag, the whole object is the subject's and is erased. Found
/// only by the content scan: a record file (CSV, TSV, JSON Lines) is redacted, its matching records
/// recorded by byte range (never by content) so the redaction can run later, even after a restart;
/// any other file, or a record file that does not parse, is erased whole.
/// </summary>
public sealed class ErasurePlanner(SubjectIndex index, RecordFormatIndex formats, ContentScanner scanner, IOptions<ErasureOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<List<ErasureItem>> PlanAsync(ErasureRequest request, ScanSecrets? secrets, IJobProgress progress, CancellationToken cancellationToken)
    {
        var sources = new Dictionary<string, SubjectSource>(StringComparer.Ordinal);
        foreach (var found in await index.FindAsync(request.SubjectHash, cancellationToken))
        {
            sources[found.Oid] = sources.GetValueOrDefault(found.Oid) | found.Source;
        }
        var scanned = new Dictionary<string, ContentMatch>(StringComparer.Ordinal);
        if (secrets is not null)
        {
            var recordFiles = await formats.LoadAsync(cancellationToken);
            foreach (var match in (await scanner.ScanStoredObjectsAsync(secrets, recordFiles, progress, cancellationToken)).Matches)
            {
                sources[match.Oid] = sources.GetValueOrDefault(match.Oid) | SubjectSource.Scan;
                scanned[match.Oid] = match;
            }
        }

        // Every candidate becomes an item, stored or not: one never uploaded is still tombstoned,
        // so the subject's data a pipeline tagged can never be uploaded later.
        var items = new List<ErasureItem>();
        foreach (var oid in sources.Keys.Order(StringComparer.Ordinal))
        {
            var item = new ErasureItem { RequestId = request.Id, Oid = oid, Source = sources[oid], Action = ErasureAction.Erase };
            if (sources[oid] == SubjectSource.Scan && scanned.TryGetValue(oid, out var match) && match.Records is { } records)
            {
                if (match.Redactable)
                {
                    Redact(item, records, options.Value.FlagRecordShare);
                }
                else
                {
                    item.Flag = PreviewFlags.Unparsed;
                }
            }
            items.Add(item);
        }
        return items;
    }

    /// <summary>Makes <paramref name="item"/> a redaction of <paramref name="records"/>' matches, flagged when it removes more than <paramref name="flagShare"/> of them.</summary>
    public static void Redact(ErasureItem item, RecordScan records, double flagShare)
    {
        item.Action = ErasureAction.Redact;
        item.DropRanges = DropRanges.Format(records.Matches.Select(m => new DropRange(m.Start, m.Length)));
        item.RecordsTotal = records.Records;
        item.RecordsRemoved = records.Matches.Count;
        item.Examples = JsonSerializer.Serialize(
            records.Matches.Where(m => m.Hash is not null)
                .Select(m => new RecordExample(m.Record, m.Line, m.Field, m.Identifier + 1, m.Hash!)).ToList(), Json);
        if (records.Matches.Count == records.Records || (double)records.Matches.Count / records.Records > flagShare)
        {
            item.Flag = PreviewFlags.RecordShare;
        }
    }
}
