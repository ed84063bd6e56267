using StorageServer.Jobs;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Scanning;

/// <summary>
/// Streams stored objects through a <see cref="StreamMatcher"/>. Reports progress to a job run;
/// never logs what it looks for.
/// </summary>
public sealed class ContentScanner(IObjectStore store, TimeProvider clock)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Every object the store physically holds that contains a pattern, whatever the database says
    /// of it (live, restricted, trashed, or not known at all), and how many objects were scanned:
    /// what a request must erase, and what its verification scans again.
    /// </summary>
    public async Task<(int Scanned, List<string> Matches)> ScanStoredObjectsAsync(StreamMatcher matcher, IJobProgress? progress, CancellationToken cancellationToken)
    {
        var oids = new List<string>();
        await foreach (var info in store.EnumerateAsync(cancellationToken))
        {
            oids.Add(info.Oid.Value);
        }
        oids.Sort(StringComparer.Ordinal);
        var matches = new List<string>();
        var lastReport = clock.GetTimestamp();
        for (var i = 0; i < oids.Count; i++)
        {
            if (await ContainsAsync(matcher, oids[i], cancellationToken))
            {
                matches.Add(oids[i]);
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

    private async Task<bool> ContainsAsync(StreamMatcher matcher, string oid, CancellationToken cancellationToken)
    {
        await using var content = await store.OpenReadAsync(Oid.Parse(oid), 0, cancellationToken);
        return content is not null && await matcher.ContainsAnyAsync(content, cancellationToken);
    }

    /// <summary>Zero-based numbers of the lines of a text object that contain a pattern.</summary>
    public async Task<List<long>> FindLinesAsync(StreamMatcher matcher, string oid, CancellationToken cancellationToken)
    {
        var lines = new List<long>();
        await using var content = await store.OpenReadAsync(Oid.Parse(oid), 0, cancellationToken);
        if (content is null)
        {
            return lines;
        }
        await LineReader.ForEachLineAsync(content, (number, line) =>
        {
            if (matcher.LineMatches(line.Span))
            {
                lines.Add(number);
            }
            return ValueTask.CompletedTask;
        }, cancellationToken);
        return lines;
    }
}
