using StorageServer.Erasure.Matching;
using StorageServer.Jobs;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Scanning;

/// <summary>One stored object that holds an identifier: its records that do (a record file), or just that it does.</summary>
/// <param name="Records">For a file read as records: what the reading found; null for other files.</param>
public sealed record ContentMatch(string Oid, RecordFormat? Format, RecordScan? Records)
{
    /// <summary>A record file whose records can be removed one by one (it parsed cleanly).</summary>
    public bool Redactable => Records is { Malformed: false, Matches.Count: > 0 };
}

/// <summary>
/// Streams every stored object through the identifiers: files the pointer index saw only at record
/// paths (CSV, TSV, JSON Lines) are read as records and matched per field; every other file is
/// matched as bytes at token boundaries. Reports progress to a job run; never logs what it looks for.
/// </summary>
public sealed class ContentScanner(IObjectStore store, SubjectHasher hasher, TimeProvider clock)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Every object the store physically holds that contains an identifier, whatever the database
    /// says of it (live, restricted, trashed, or not known at all), and how many objects were scanned:
    /// what a request must erase or redact, and what its verification scans again.
    /// </summary>
    public async Task<(int Scanned, List<ContentMatch> Matches)> ScanStoredObjectsAsync(
        ScanSecrets secrets, IReadOnlyDictionary<string, RecordFormat> formats, IJobProgress? progress, CancellationToken cancellationToken)
    {
        var identifiers = IdentifierMatcher.FromPatterns(secrets.Patterns, secrets.CaseInsensitive);
        var bytes = new StreamMatcher(secrets.Patterns, secrets.CaseInsensitive);
        var oids = new List<string>();
        await foreach (var info in store.EnumerateAsync(cancellationToken))
        {
            oids.Add(info.Oid.Value);
        }
        oids.Sort(StringComparer.Ordinal);
        var matches = new List<ContentMatch>();
        var lastReport = clock.GetTimestamp();
        for (var i = 0; i < oids.Count; i++)
        {
            if (await MatchAsync(oids[i], formats.TryGetValue(oids[i], out var format) ? format : null, identifiers, bytes, cancellationToken) is { } match)
            {
                matches.Add(match);
            }
            if (progress is not null && clock.GetElapsedTime(lastReport) >= ProgressInterval)
            {
                await progress.ReportAsync(i + 1, oids.Count, $"{matches.Count} matching objects so far", cancellationToken);
                lastReport = clock.GetTimestamp();
            }
        }
        if (progress is not null)
        {
            await progress.ReportAsync(oids.Count, oids.Count, $"{matches.Count} matching objects", cancellationToken);
        }
        return (oids.Count, matches);
    }

    private async Task<ContentMatch?> MatchAsync(string oid, RecordFormat? format, IdentifierMatcher identifiers, StreamMatcher bytes, CancellationToken cancellationToken)
    {
        if (format is { } recordFormat && !await HasNonUtf8MarkAsync(oid, cancellationToken))
        {
            RecordScan records;
            await using (var content = await store.OpenReadAsync(Oid.Parse(oid), 0, cancellationToken))
            {
                if (content is null)
                {
                    return null;
                }
                records = await RecordScanner.ScanAsync(content, recordFormat, identifiers, hasher.Record, cancellationToken);
            }
            if (!records.Malformed)
            {
                return records.Matches.Count > 0 ? new ContentMatch(oid, recordFormat, records) : null;
            }
            // Records that cannot be trusted: the bytes decide, and the file cannot be redacted.
            return records.Matches.Count > 0 || await ContainsAsync(oid, bytes, cancellationToken) ? new ContentMatch(oid, recordFormat, records) : null;
        }
        return await ContainsAsync(oid, bytes, cancellationToken) ? new ContentMatch(oid, null, null) : null;
    }

    /// <summary>
    /// A UTF-16 or UTF-32 byte order mark: the CSV reader would transcode the file and its record
    /// offsets would no longer be offsets in the stored bytes, so such a file is never redacted by
    /// record (it is matched on its bytes, as other files are).
    /// </summary>
    private async Task<bool> HasNonUtf8MarkAsync(string oid, CancellationToken cancellationToken)
    {
        await using var content = await store.OpenReadAsync(Oid.Parse(oid), 0, cancellationToken);
        if (content is null)
        {
            return false;
        }
        var head = new byte[2];
        var read = await content.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, cancellationToken);
        return read == 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) || (head[0] == 0 && head[1] == 0));
    }

    private async Task<bool> ContainsAsync(string oid, StreamMatcher matcher, CancellationToken cancellationToken)
    {
        await using var content = await store.OpenReadAsync(Oid.Parse(oid), 0, cancellationToken);
        return content is not null && await matcher.ContainsAnyAsync(content, cancellationToken);
    }
}
