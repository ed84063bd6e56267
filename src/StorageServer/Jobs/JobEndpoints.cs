using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;
using StorageServer.Auth;
using StorageServer.Data.Entities;

namespace StorageServer.Jobs;

/// <summary><c>/api/jobs</c>: list jobs, run one, follow and cancel runs. Server admins only; run and cancel are audited.</summary>
public static class JobEndpoints
{
    private const int MaxParametersBytes = 64 * 1024;
    private const int DefaultLimit = 50;

    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/jobs").RequireServerAdmin().WithTags("Jobs");
        group.MapGet("/", ListAsync);
        group.MapPost("/{name}/run", RunAsync);
        group.MapGet("/runs", ListRunsAsync);
        group.MapGet("/runs/{id:long}", GetRunAsync);
        group.MapPost("/runs/{id:long}/cancel", CancelAsync);
        return group;
    }

    private static async Task<Ok<List<JobResponse>>> ListAsync(JobRunService jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.ListJobsAsync(cancellationToken));

    private static async Task<Results<Accepted<JobRunResponse>, NotFound<ApiError>, BadRequest<ApiError>>> RunAsync(
        string name, JobRunService jobs, HttpContext context, CancellationToken cancellationToken)
    {
        var (parameters, error) = await ReadParametersAsync(context.Request, cancellationToken);
        if (error is not null)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        var result = await jobs.RunAsync(name, parameters, context.User.UserName(), cancellationToken);
        return result.Run is { } run
            ? TypedResults.Accepted($"/api/jobs/runs/{run.Id}", JobRunResponse.From(run))
            : TypedResults.NotFound(new ApiError(result.Error!));
    }

    private static async Task<Results<Ok<List<JobRunResponse>>, BadRequest<ApiError>>> ListRunsAsync(
        JobRunService jobs, string? job, string? state, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > JobRunService.MaxLimit)
        {
            return TypedResults.BadRequest(new ApiError($"limit must be between 1 and {JobRunService.MaxLimit}."));
        }
        var runs = await jobs.ListRunsAsync(job, state, limit ?? DefaultLimit, cancellationToken);
        return runs is null
            ? TypedResults.BadRequest(new ApiError($"state must be one of: {string.Join(", ", Enum.GetValues<JobRunState>().Select(s => JobRunResponse.NameOf(s)))}."))
            : TypedResults.Ok(runs.Select(JobRunResponse.From).ToList());
    }

    private static async Task<Results<Ok<JobRunResponse>, NotFound<ApiError>>> GetRunAsync(long id, JobRunService jobs, CancellationToken cancellationToken) =>
        await jobs.FindRunAsync(id, cancellationToken) is { } run ? TypedResults.Ok(JobRunResponse.From(run)) : TypedResults.NotFound(new ApiError($"Job run {id} not found."));

    /// <summary>202: a queued run is cancelled; a running one is interrupted. 409 when it has ended.</summary>
    private static async Task<Results<Accepted<JobRunResponse>, NotFound<ApiError>, Conflict<ApiError>>> CancelAsync(
        long id, JobRunService jobs, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await jobs.CancelAsync(id, context.User.UserName(), cancellationToken);
        if (result.Run is { } run)
        {
            return TypedResults.Accepted($"/api/jobs/runs/{id}", JobRunResponse.From(run));
        }
        return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.Conflict(new ApiError(result.Error!));
    }

    /// <summary>The body, if any, must be a JSON object: the run's parameters.</summary>
    private static async Task<(string? Json, string? Error)> ReadParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return (null, null);
        }
        if (request.ContentLength > MaxParametersBytes)
        {
            return (null, $"Parameters must be at most {MaxParametersBytes} bytes of JSON.");
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.GetRawText(), null)
                : (null, "The body must be a JSON object of parameters, e.g. {\"repository\": \"team/data\"}.");
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON: {e.Message}");
        }
    }
}
