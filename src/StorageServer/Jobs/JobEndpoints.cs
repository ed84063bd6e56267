using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Jobs;

/// <summary><c>/api/jobs</c>: list jobs, run one, follow and cancel runs. Server admins only; run and cancel are audited.</summary>
public static class JobEndpoints
{
    private const int MaxParametersBytes = 64 * 1024;
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

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

    private static async Task<Ok<List<JobResponse>>> ListAsync(
        IEnumerable<JobDefinition> definitions, ISchedulerFactory schedulers, IOptions<JobsOptions> options, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var jobs = new List<JobResponse>();
        foreach (var definition in definitions.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var trigger = await scheduler.GetTrigger(JobScheduleRegistrar.ScheduleTriggerKey(definition.Name), cancellationToken);
            options.Value.Schedules.TryGetValue(definition.Name, out var cron);
            jobs.Add(new JobResponse(definition.Name, definition.Description, cron, trigger?.NextFireTimeUtc));
        }
        return TypedResults.Ok(jobs);
    }

    private static async Task<Results<Accepted<JobRunResponse>, NotFound<ApiError>, BadRequest<ApiError>>> RunAsync(
        string name, IEnumerable<JobDefinition> definitions, JobLauncher launcher, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var definition = definitions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
        if (definition is null)
        {
            return TypedResults.NotFound(new ApiError($"No job '{name}'. Known jobs: {string.Join(", ", definitions.Select(d => d.Name).Order())}."));
        }
        var (parameters, error) = await ReadParametersAsync(context.Request, cancellationToken);
        if (error is not null)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        var user = context.User.UserName();
        var run = await launcher.EnqueueAsync(definition, user, parameters, cancellationToken);
        await audit.AppendAsync(user, "job.run", definition.Name, new { runId = run.Id }, cancellationToken);
        return TypedResults.Accepted($"/api/jobs/runs/{run.Id}", JobRunResponse.From(run));
    }

    private static async Task<Results<Ok<List<JobRunResponse>>, BadRequest<ApiError>>> ListRunsAsync(
        StorageDbContext db, string? job, string? state, int? limit, CancellationToken cancellationToken)
    {
        var query = db.JobRuns.AsNoTracking();
        if (!string.IsNullOrEmpty(job))
        {
            query = query.Where(r => r.Job == job);
        }
        if (!string.IsNullOrEmpty(state))
        {
            var parsed = Enum.GetValues<JobRunState>().Where(s => JobRunResponse.NameOf(s) == state).ToList();
            if (parsed.Count == 0)
            {
                return TypedResults.BadRequest(new ApiError($"state must be one of: {string.Join(", ", Enum.GetValues<JobRunState>().Select(s => JobRunResponse.NameOf(s)))}."));
            }
            var wanted = parsed[0];
            query = query.Where(r => r.State == wanted);
        }
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.BadRequest(new ApiError($"limit must be between 1 and {MaxLimit}."));
        }
        var runs = await query.OrderByDescending(r => r.Id).Take(limit ?? DefaultLimit).ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(JobRunResponse.From).ToList());
    }

    private static async Task<Results<Ok<JobRunResponse>, NotFound<ApiError>>> GetRunAsync(long id, StorageDbContext db, CancellationToken cancellationToken)
    {
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? TypedResults.NotFound(new ApiError($"Job run {id} not found.")) : TypedResults.Ok(JobRunResponse.From(run));
    }

    /// <summary>
    /// 202: a queued run is cancelled; a running one is interrupted (it ends <c>cancelled</c> once the
    /// job observes its token, within one cluster check-in when it runs on another node).
    /// </summary>
    private static async Task<Results<Accepted<JobRunResponse>, NotFound<ApiError>, Conflict<ApiError>>> CancelAsync(
        long id, StorageDbContext db, JobLauncher launcher, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return TypedResults.NotFound(new ApiError($"Job run {id} not found."));
        }
        if (!await launcher.CancelAsync(id, cancellationToken))
        {
            var ended = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
            return TypedResults.Conflict(new ApiError($"Job run {id} has already ended ({JobRunResponse.NameOf(ended.State)})."));
        }
        await audit.AppendAsync(context.User.UserName(), "job.cancel", $"job-run:{id}", new { job = run.Job, state = JobRunResponse.NameOf(run.State) }, cancellationToken);
        var current = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
        return TypedResults.Accepted($"/api/jobs/runs/{id}", JobRunResponse.From(current));
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
