using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Observability;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;

namespace StorageServer.Retention.Runs;

/// <summary>
/// Writes a mark's report in two formats, <c>json</c> (totals + items) and <c>csv</c> (items),
/// gzip-compressed into <c>retention_reports</c>; <see cref="OpenAsync"/> reads one back.
/// </summary>
public sealed class RetentionReportWriter(StorageDbContext db)
{
    public const string JsonFormat = "json";
    public const string CsvFormat = "csv";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(RetentionRun run, IReadOnlyList<RetentionDecision> items, CancellationToken cancellationToken)
    {
        var json = await CompressAsync(async stream =>
            await JsonSerializer.SerializeAsync(stream, new { run = RetentionRunResponse.From(run), items = items.Select(Item) }, Json, cancellationToken));
        var csv = await CompressAsync(async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            await writer.WriteAsync("oid,size,repository,path,last_ref,policy,reason,action\r\n".AsMemory(), cancellationToken);
            foreach (var d in items)
            {
                var fields = new[] { d.Oid, d.Size.ToString(CultureInfo.InvariantCulture), d.Repository, d.Path, d.LastRef, d.Policy, d.Reason, d.Action };
                await writer.WriteAsync((string.Join(',', fields.Select(Csv)) + "\r\n").AsMemory(), cancellationToken);
            }
        });
        db.Add(new RetentionReport { RunId = run.Id, Format = JsonFormat, GzipContent = json.Content, Length = json.Length });
        db.Add(new RetentionReport { RunId = run.Id, Format = CsvFormat, GzipContent = csv.Content, Length = csv.Length });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The report's uncompressed bytes as a stream; null when the run has none (a sweep, or a mark still running).</summary>
    public async Task<Stream?> OpenAsync(long runId, string format, CancellationToken cancellationToken)
    {
        var content = await db.Set<RetentionReport>().AsNoTracking()
            .Where(r => r.RunId == runId && r.Format == format).Select(r => r.GzipContent).SingleOrDefaultAsync(cancellationToken);
        return content is null ? null : new GZipStream(new MemoryStream(content, writable: false), CompressionMode.Decompress);
    }

    /// <summary>RFC 4180 quoting; a leading formula character is prefixed so spreadsheets show paths as text.</summary>
    internal static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static object Item(RetentionDecision d) => new { d.Oid, d.Size, d.Repository, d.Path, d.LastRef, d.Policy, d.Reason, d.Action };

    private static async Task<(byte[] Content, long Length)> CompressAsync(Func<Stream, Task> write)
    {
        using var compressed = new MemoryStream();
        long length;
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var counting = new CountingStream(gzip);
            await write(counting);
            length = counting.Count;
        }
        return (compressed.ToArray(), length);
    }
}
