using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Scanning;
using StorageServer.Jobs;

namespace StorageServer.Erasure.Jobs;

/// <summary>
/// Content scan for the subject index: streams every stored object through the identifiers and
/// tags the subject (by keyed hash) on each that contains one. Parameter: <c>{"scan": "…"}</c>,
/// the key under which the sealed identifiers wait; the run deletes them when it ends, however it ends.
/// </summary>
public sealed class SubjectScanJob(
    ErasureSecretVault vault, ContentScanner scanner, RecordFormatIndex formats, SubjectHasher hasher, StorageDbContext db, AuditLog audit, TimeProvider clock,
    JobRunRecorder recorder, IOptionsMonitor<JobsOptions> options, ILogger<SubjectScanJob> logger)
    : StorageJob(recorder, options, logger)
{
    public const string Name = "ErasureSubjectScan";
    public const string VaultPrefix = "scan:";

    protected override async Task RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var scan = run.GetString("scan") ?? throw new JobParameterException("Parameter 'scan' is required.");
        var secrets = await vault.GetAsync(VaultPrefix + scan, cancellationToken)
            ?? throw new JobParameterException("The identifiers of this scan are gone (the scan already ran, or was never submitted): submit the scan again.");
        try
        {
            var matches = (await scanner.ScanStoredObjectsAsync(secrets, await formats.LoadAsync(cancellationToken), run.Progress, cancellationToken)).Matches
                .Select(m => m.Oid).ToList();
            var subject = hasher.Subject(secrets.Subject);
            var known = await db.Set<SubjectTag>().Where(t => t.SubjectHash == subject).Select(t => t.Oid).ToListAsync(cancellationToken);
            var added = matches.Except(known, StringComparer.Ordinal).ToList();
            var now = clock.GetUtcNow();
            db.Set<SubjectTag>().AddRange(added.Select(oid => new SubjectTag { SubjectHash = subject, Oid = oid, Source = SubjectSource.Scan, TaggedBy = "system:scan", TaggedAt = now }));
            await audit.AppendAsync("system:scan", "erasure.scan", subject, new { matched = matches.Count, added = added.Count }, cancellationToken);
            await run.Progress.ReportAsync(1, 1, $"{matches.Count} objects contain an identifier; {added.Count} newly tagged", cancellationToken);
        }
        finally
        {
            await vault.RemoveAsync(VaultPrefix + scan, CancellationToken.None);
        }
    }
}
