using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;
using StorageServer.Data;
using StorageServer.Retention.Api;
using StorageServer.Retention.Runs;
using StorageServer.Retention.Usage;

namespace StorageServer.WebConsole.Pages.Retention;

/// <summary>One mark's report: totals, usage before and after, the items page by page, and the CSV/JSON downloads.</summary>
internal sealed class RunModel(StorageDbContext db, RetentionReportWriter reports, StorageUsageQuery usage, TimeProvider clock) : ConsolePage(clock)
{
    public const int PageSize = 100;

    [FromRoute(Name = "id")]
    public long Id { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public RetentionRunResponse Run { get; private set; } = null!;

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public IReadOnlyList<string[]> Rows { get; private set; } = [];

    public long ItemCount { get; private set; }

    public bool HasReport { get; private set; }

    /// <summary>What the run's scope holds live now (a repository's claims, or the whole store).</summary>
    public long LiveBytesNow { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await RetentionRunStore.FindAsync(db, Id, cancellationToken) is not { } run)
        {
            return NotFound();
        }
        Run = RetentionRunResponse.From(run);
        var now = await usage.GetAsync(cancellationToken);
        LiveBytesNow = Run.Repository is { } repository ? now.Repositories.FirstOrDefault(r => r.Repository == repository)?.Bytes ?? 0 : now.LiveBytes;
        await using var report = await reports.OpenAsync(Id, RetentionReportWriter.CsvFormat, cancellationToken);
        if (report is null)
        {
            return Page();
        }
        HasReport = true;
        // Streamed: only the shown page is kept, however long the report.
        using var csv = CsvReader.Create(report, CsvReaderOptions.Default, false);
        await csv.ReadHeaderAsync(cancellationToken);
        Columns = csv.Headers.ToList();
        var skip = (Math.Max(1, PageNumber) - 1L) * PageSize;
        var rows = new List<string[]>();
        while (await csv.ReadAsync(cancellationToken))
        {
            if (ItemCount >= skip && rows.Count < PageSize)
            {
                rows.Add(Enumerable.Range(0, Columns.Count).Select(i => csv.GetString(i)).ToArray());
            }
            ItemCount++;
        }
        Rows = rows;
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync([FromQuery] string? format, CancellationToken cancellationToken)
    {
        var chosen = format == RetentionReportWriter.JsonFormat ? RetentionReportWriter.JsonFormat : RetentionReportWriter.CsvFormat;
        var report = await reports.OpenAsync(Id, chosen, cancellationToken);
        return report is null
            ? NotFound()
            : File(report, chosen == RetentionReportWriter.JsonFormat ? "application/json" : "text/csv; charset=utf-8", $"retention-run-{Id}-report.{chosen}");
    }
}
