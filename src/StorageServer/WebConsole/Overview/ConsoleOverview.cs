using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Erasure.Data;
using StorageServer.Jobs;
using StorageServer.Retention.Api;
using StorageServer.Retention.Usage;

namespace StorageServer.WebConsole.Overview;

public sealed record RecentUpload(string Repository, string Oid, long Size, string UploadedBy, DateTimeOffset UploadedAt, string? Ref);

public sealed record DailyBytes(DateOnly Day, long Bytes, long Objects);

public sealed record OverdueRequest(string Id, string State, DateTimeOffset DueAt);

public sealed record OverviewData(
    StorageUsageResponse Usage, IReadOnlyList<DailyBytes> Uploads, IReadOnlyList<RecentUpload> RecentUploads,
    IReadOnlyList<JobRun> LatestRuns, int FailedRunsLastDay, int ActiveRuns, IReadOnlyList<OverdueRequest> Overdue, int ActiveTokens);

/// <summary>What the console's front page shows: storage, recent uploads, job health, overdue erasure requests.</summary>
public sealed class ConsoleOverview(StorageDbContext db, StorageUsageQuery usage, JobRunService jobs, TimeProvider clock)
{
    public const int ChartDays = 30;

    public async Task<OverviewData> GetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-(ChartDays - 1));
        // Two columns of the last month's objects; grouped here because the providers store dates differently.
        var created = await db.Objects.AsNoTracking().Where(o => o.CreatedAt >= since).Select(o => new { o.CreatedAt, o.Size }).ToListAsync(cancellationToken);
        var byDay = created.GroupBy(o => DateOnly.FromDateTime(o.CreatedAt.UtcDateTime)).ToDictionary(g => g.Key, g => (Bytes: g.Sum(o => o.Size), Objects: g.LongCount()));
        var uploads = Enumerable.Range(0, ChartDays).Select(i => DateOnly.FromDateTime(since.UtcDateTime).AddDays(i))
            .Select(day => new DailyBytes(day, byDay.GetValueOrDefault(day).Bytes, byDay.GetValueOrDefault(day).Objects)).ToList();

        var recent = await (
                from claim in db.RepoObjects
                join repository in db.Repositories on claim.RepositoryId equals repository.Id
                join stored in db.Objects on claim.Oid equals stored.Oid
                orderby claim.UploadedAt descending
                select new RecentUpload(repository.Name, claim.Oid, stored.Size, claim.UploadedBy, claim.UploadedAt, claim.FirstRef))
            .Take(8).ToListAsync(cancellationToken);

        var runs = await jobs.ListRunsAsync(null, null, JobRunService.MaxLimit, cancellationToken) ?? [];
        var latest = runs.GroupBy(r => r.Job).Select(g => g.First()).OrderBy(r => r.Job, StringComparer.Ordinal).ToList();
        var failed = runs.Count(r => r.State is JobRunState.Failed or JobRunState.TimedOut && r.FinishedAt > now.AddDays(-1));
        var active = runs.Count(r => r.State is JobRunState.Queued or JobRunState.Running);

        var overdue = await db.Set<ErasureRequest>().AsNoTracking()
            .Where(r => r.State != ErasureState.Completed && r.State != ErasureState.Cancelled && r.DueAt < now).OrderBy(r => r.DueAt).Take(20)
            .Select(r => new OverdueRequest(r.Id, r.State.ToString().ToLower(), r.DueAt)).ToListAsync(cancellationToken);
        var tokens = await db.AccessTokens.CountAsync(t => t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now), cancellationToken);
        return new OverviewData(await usage.GetAsync(cancellationToken), uploads, recent, latest, failed, active, overdue, tokens);
    }
}
