using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;

namespace StorageServer.Retention.Runs;

/// <summary>
/// Writes a run's report as <c>report.json</c> (totals + items) and <c>report.csv</c> (items) under
/// <see cref="RetentionOptions.ReportsPath"/>/&lt;run id&gt;/, written to a temporary name and renamed.
/// </summary>
public sealed class RetentionReportWriter(IOptions<RetentionOptions> options, IOptions<StorageServerOptions> server)
{
    public const string JsonName = "report.json";
    public const string CsvName = "report.csv";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Root => Path.GetFullPath(options.Value.ReportsPath ?? Path.Combine(server.Value.FullDataDir, "retention", "reports"));

    public string PathOf(long runId, string name) => Path.Combine(Root, runId.ToString(CultureInfo.InvariantCulture), name);

    public async Task WriteAsync(RetentionRun run, IReadOnlyList<RetentionDecision> items, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(run.Id, JsonName))!);
        await WriteAtomicallyAsync(PathOf(run.Id, JsonName), async stream =>
            await JsonSerializer.SerializeAsync(stream, new { run = RetentionRunResponse.From(run), items = items.Select(Item) }, Json, cancellationToken));
        await WriteAtomicallyAsync(PathOf(run.Id, CsvName), async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            await writer.WriteAsync("oid,size,repository,path,last_ref,policy,reason,action\r\n".AsMemory(), cancellationToken);
            foreach (var d in items)
            {
                var fields = new[] { d.Oid, d.Size.ToString(CultureInfo.InvariantCulture), d.Repository, d.Path, d.LastRef, d.Policy, d.Reason, d.Action };
                await writer.WriteAsync((string.Join(',', fields.Select(Csv)) + "\r\n").AsMemory(), cancellationToken);
            }
        });
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

    private static async Task WriteAtomicallyAsync(string path, Func<Stream, Task> write)
    {
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await write(stream);
            await stream.FlushAsync();
        }
        File.Move(temporary, path, overwrite: true);
    }
}
