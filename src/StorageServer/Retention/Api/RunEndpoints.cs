using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Jobs;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Jobs;
using StorageServer.Retention.Runs;

namespace StorageServer.Retention.Api;

public sealed record StartRunRequest(string? Kind, bool? DryRun, string? Repository);

/// <summary>What starting a run answers: the job run that will execute it (follow it under <c>/api/jobs/runs</c>).</summary>
public sealed record StartedRunResponse(long JobRunId, string Job, string JobRunUrl);

/// <summary><c>/api/retention/runs</c>: start a mark (dry or real), a sweep or a reconciliation as a job, list runs, download reports.</summary>
public static class RunEndpoints
{
    public static void MapRetentionRunEndpoints(this RouteGroupBuilder retention)
    {
        var group = retention.MapGroup("/runs");
        group.MapPost("/", StartAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapGet("/{id:long}/report.json", (long id, RetentionReportWriter reports, CancellationToken cancellationToken) =>
            ReportAsync(id, reports, RetentionReportWriter.JsonFormat, "application/json", cancellationToken));
        group.MapGet("/{id:long}/report.csv", (long id, RetentionReportWriter reports, CancellationToken cancellationToken) =>
            ReportAsync(id, reports, RetentionReportWriter.CsvFormat, "text/csv; charset=utf-8", cancellationToken));
    }

    private static async Task<Results<Accepted<StartedRunResponse>, BadRequest<ApiError>>> StartAsync(
        StartRunRequest request, IEnumerable<JobDefinition> definitions, JobLauncher launcher, StorageDbContext db, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var kind = request.Kind ?? "mark";
        if (kind is not ("mark" or "sweep" or "reconcile"))
        {
            return TypedResults.BadRequest(new ApiError("kind must be 'mark', 'sweep' or 'reconcile'."));
        }
        if (kind != "mark" && (request.DryRun == true || request.Repository is not null))
        {
            return TypedResults.BadRequest(new ApiError($"A {kind} takes no dryRun or repository: it covers the whole store (a dry run is a mark with dryRun)."));
        }
        if (request.Repository is not null && !await db.Repositories.AnyAsync(r => r.Name == request.Repository, cancellationToken))
        {
            return TypedResults.BadRequest(new ApiError($"Repository '{request.Repository}' not found."));
        }
        var user = context.User.UserName();
        var job = definitions.Single(d => d.Name == kind switch { "mark" => RetentionMarkJob.Name, "sweep" => RetentionSweepJob.Name, _ => RetentionReconcileJob.Name });
        var parameters = JsonSerializer.Serialize(new { dryRun = request.DryRun == true, repository = request.Repository, requestedBy = user });
        var run = await launcher.EnqueueAsync(job, user, parameters, cancellationToken);
        await audit.AppendAsync(user, "retention.run", kind, new { dryRun = request.DryRun == true, request.Repository, jobRunId = run.Id }, cancellationToken);
        return TypedResults.Accepted($"/api/jobs/runs/{run.Id}", new StartedRunResponse(run.Id, job.Name, $"/api/jobs/runs/{run.Id}"));
    }

    private static async Task<Ok<List<RetentionRunResponse>>> ListAsync(StorageDbContext db, long? jobRunId, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Set<RetentionRun>().AsNoTracking();
        if (jobRunId is not null)
        {
            query = query.Where(r => r.JobRunId == jobRunId);
        }
        var runs = await query.OrderByDescending(r => r.Id).Take(Math.Clamp(limit ?? 50, 1, 500)).ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(RetentionRunResponse.From).ToList());
    }

    private static async Task<Results<Ok<RetentionRunResponse>, NotFound<ApiError>>> GetAsync(long id, StorageDbContext db, CancellationToken cancellationToken) =>
        await RetentionRunStore.FindAsync(db, id, cancellationToken) is { } run
            ? TypedResults.Ok(RetentionRunResponse.From(run))
            : TypedResults.NotFound(new ApiError($"Retention run {id} not found."));

    private static async Task<IResult> ReportAsync(long id, RetentionReportWriter reports, string format, string contentType, CancellationToken cancellationToken) =>
        await reports.OpenAsync(id, format, cancellationToken) is { } report
            ? TypedResults.Stream(report, contentType, fileDownloadName: $"retention-run-{id}-report.{format}")
            : TypedResults.NotFound(new ApiError($"Retention run {id} has no report (sweeps write none; a mark writes it when it ends)."));
}
