using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;
using StorageServer.Auth;
using StorageServer.Data;
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
        StartRunRequest request, RetentionRunLauncher runs, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await runs.StartAsync(request.Kind, request.DryRun == true, request.Repository, context.User.UserName(), cancellationToken);
        if (result.JobRun is not { } run)
        {
            return TypedResults.BadRequest(new ApiError(result.Error!));
        }
        return TypedResults.Accepted($"/api/jobs/runs/{run.Id}", new StartedRunResponse(run.Id, result.Job!, $"/api/jobs/runs/{run.Id}"));
    }

    private static async Task<Ok<List<RetentionRunResponse>>> ListAsync(RetentionRunLauncher runs, long? jobRunId, int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await runs.ListAsync(jobRunId, limit, cancellationToken));

    private static async Task<Results<Ok<RetentionRunResponse>, NotFound<ApiError>>> GetAsync(long id, StorageDbContext db, CancellationToken cancellationToken) =>
        await RetentionRunStore.FindAsync(db, id, cancellationToken) is { } run
            ? TypedResults.Ok(RetentionRunResponse.From(run))
            : TypedResults.NotFound(new ApiError($"Retention run {id} not found."));

    private static async Task<IResult> ReportAsync(long id, RetentionReportWriter reports, string format, string contentType, CancellationToken cancellationToken) =>
        await reports.OpenAsync(id, format, cancellationToken) is { } report
            ? TypedResults.Stream(report, contentType, fileDownloadName: $"retention-run-{id}-report.{format}")
            : TypedResults.NotFound(new ApiError($"Retention run {id} has no report (sweeps write none; a mark writes it when it ends)."));
}
