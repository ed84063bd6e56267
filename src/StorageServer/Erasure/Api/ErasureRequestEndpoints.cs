using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Jobs;
using StorageServer.Erasure.Requests;

namespace StorageServer.Erasure.Api;

/// <summary><c>/api/erasure/requests</c>: file, follow, extend and resume GDPR erasure requests.</summary>
internal static class ErasureRequestEndpoints
{
    public static void MapErasureRequests(this RouteGroupBuilder group)
    {
        group.MapPost("/requests", CreateAsync);
        group.MapGet("/requests", ListAsync);
        group.MapGet("/requests/{id}", GetAsync);
        group.MapPost("/requests/{id}/extend", ExtendAsync);
        group.MapPost("/requests/{id}/identifiers", SupplyIdentifiersAsync);
        group.MapPost("/requests/{id}/resume", ResumeAsync);
    }

    private static async Task<Results<Created<ErasureRequestResponse>, BadRequest<ApiError>>> CreateAsync(
        CreateErasureRequest body, ErasureRequestService requests, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await requests.CreateAsync(body, context.User.UserName(), cancellationToken);
        return result.Request is { } request
            ? TypedResults.Created($"/api/erasure/requests/{request.Id}", request)
            : TypedResults.BadRequest(new ApiError(result.Error!));
    }

    private static async Task<Results<Ok<List<ErasureRequestResponse>>, BadRequest<ApiError>>> ListAsync(
        ErasureRequestService requests, CancellationToken cancellationToken, string? state = null, bool overdue = false) =>
        await requests.ListAsync(state, overdue, cancellationToken) is { } list
            ? TypedResults.Ok(list)
            : TypedResults.BadRequest(new ApiError("state must be one of received, previewed, approved, restricted, erasing, deferred, completed, cancelled."));

    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>>> GetAsync(string id, ErasureRequestService requests, CancellationToken cancellationToken) =>
        await requests.FindAsync(id, cancellationToken) is { } request ? TypedResults.Ok(request) : NotFound(id);

    /// <summary>Art. 12(3): up to two more months, with a reason, decided within the first month.</summary>
    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>, BadRequest<ApiError>, Conflict<ApiError>>> ExtendAsync(
        string id, ExtendErasureRequest body, ErasureRequestService requests, HttpContext context, CancellationToken cancellationToken) =>
        Answer(await requests.ExtendAsync(id, body.Months, body.Reason, context.User.UserName(), cancellationToken));

    /// <summary>The API's answer to a request command: 200, 404, 409 or 400.</summary>
    public static Results<Ok<ErasureRequestResponse>, NotFound<ApiError>, BadRequest<ApiError>, Conflict<ApiError>> Answer(ErasureCommandResult result) =>
        result switch
        {
            { Request: { } request } => TypedResults.Ok(request),
            { NotFound: true } => TypedResults.NotFound(new ApiError(result.Error!)),
            { Conflict: true } => TypedResults.Conflict(new ApiError(result.Error!)),
            _ => TypedResults.BadRequest(new ApiError(result.Error!)),
        };

    /// <summary>Gives the identifiers again after a restart lost them; they must belong to the request's subject.</summary>
    private static async Task<Results<Accepted<QueuedResponse>, NotFound<ApiError>, BadRequest<ApiError>>> SupplyIdentifiersAsync(
        string id, SupplyIdentifiersRequest body, StorageDbContext db, SubjectHasher hasher, ErasureSecretVault vault, ErasureLauncher launcher,
        HttpContext context, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return NotFound(id);
        }
        if ((ErasureInput.CheckSubject(body.Subject) ?? ErasureInput.CheckIdentifiers(body.Identifiers, required: true)) is { } error)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        if (hasher.Subject(body.Subject!) != request.SubjectHash)
        {
            return TypedResults.BadRequest(new ApiError("subject is not this request's subject."));
        }
        await vault.PutAsync(id, ScanSecrets.Create(body.Subject!, body.Identifiers!, body.CaseInsensitive || request.CaseInsensitive), cancellationToken);
        var run = await launcher.RunRequestAsync(id, context.User.UserName(), cancellationToken);
        return TypedResults.Accepted($"/api/jobs/runs/{run.Id}", new QueuedResponse("Identifiers held (sealed); the request resumes.", run.Id));
    }

    private static async Task<Results<Accepted<QueuedResponse>, NotFound<ApiError>, Conflict<ApiError>>> ResumeAsync(
        string id, StorageDbContext db, ErasureLauncher launcher, HttpContext context, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return NotFound(id);
        }
        if (request.State is ErasureState.Completed or ErasureState.Cancelled)
        {
            return TypedResults.Conflict(new ApiError($"The request is {ErasureRequestResponse.StateName(request.State)}."));
        }
        var run = await launcher.RunRequestAsync(id, context.User.UserName(), cancellationToken);
        return TypedResults.Accepted($"/api/jobs/runs/{run.Id}", new QueuedResponse("Queued.", run.Id));
    }

    private static NotFound<ApiError> NotFound(string id) => TypedResults.NotFound(new ApiError($"Erasure request '{id}' not found."));
}
