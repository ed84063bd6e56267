using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Jobs;

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
        CreateErasureRequest body, StorageDbContext db, SubjectHasher hasher, ErasureSecretVault vault, ErasureLauncher launcher,
        AuditLog audit, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        if ((ErasureInput.CheckSubject(body.Subject) ?? ErasureInput.CheckIdentifiers(body.Identifiers, required: false)) is { } error)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        if (string.IsNullOrWhiteSpace(body.LegalBasis) || body.LegalBasis.Length > 500)
        {
            return TypedResults.BadRequest(new ApiError("legalBasis is required (at most 500 characters), e.g. \"GDPR Art. 17(1)(b): consent withdrawn\"."));
        }
        var now = clock.GetUtcNow();
        var request = new ErasureRequest
        {
            Id = "er_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            SubjectHash = hasher.Subject(body.Subject!),
            LegalBasis = body.LegalBasis.Trim(),
            State = ErasureState.Received,
            ContentScan = body.Identifiers is { Count: > 0 },
            CaseInsensitive = body.CaseInsensitive,
            RequestedBy = context.User.UserName(),
            ReceivedAt = now,
            DueAt = now.AddMonths(1),
        };
        db.Set<ErasureRequest>().Add(request);
        await audit.AppendAsync(request.RequestedBy, "erasure.request", request.Id,
            new { subject = request.SubjectHash, legalBasis = request.LegalBasis, contentScan = request.ContentScan, dueAt = request.DueAt }, cancellationToken);
        if (request.ContentScan)
        {
            await vault.PutAsync(request.Id, ScanSecrets.Create(body.Subject!, body.Identifiers!, body.CaseInsensitive), cancellationToken);
        }
        await launcher.RunRequestAsync(request.Id, request.RequestedBy, cancellationToken);
        return TypedResults.Created($"/api/erasure/requests/{request.Id}", ErasureRequestResponse.From(request, now, request.ContentScan));
    }

    private static async Task<Results<Ok<List<ErasureRequestResponse>>, BadRequest<ApiError>>> ListAsync(
        StorageDbContext db, ErasureSecretVault vault, TimeProvider clock, CancellationToken cancellationToken, string? state = null, bool overdue = false)
    {
        var now = clock.GetUtcNow();
        var query = db.Set<ErasureRequest>().AsNoTracking();
        if (state is not null)
        {
            if (!Enum.TryParse<ErasureState>(state, ignoreCase: true, out var wanted) || int.TryParse(state, out _))
            {
                return TypedResults.BadRequest(new ApiError("state must be one of received, previewed, approved, restricted, erasing, deferred, completed, cancelled."));
            }
            query = query.Where(r => r.State == wanted);
        }
        if (overdue)
        {
            query = query.Where(r => r.State != ErasureState.Completed && r.State != ErasureState.Cancelled && r.DueAt < now);
        }
        var requests = await query.OrderBy(r => r.ReceivedAt).ToListAsync(cancellationToken);
        var held = await vault.HeldAsync(requests.Select(r => r.Id).ToList(), cancellationToken);
        return TypedResults.Ok(requests.Select(r => ErasureRequestResponse.From(r, now, held.Contains(r.Id))).ToList());
    }

    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>>> GetAsync(
        string id, StorageDbContext db, ErasureSecretVault vault, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is null ? NotFound(id) : TypedResults.Ok(ErasureRequestResponse.From(request, clock.GetUtcNow(), (await vault.HeldAsync([id], cancellationToken)).Count > 0));
    }

    /// <summary>Art. 12(3): up to two more months, with a reason, decided within the first month.</summary>
    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>, BadRequest<ApiError>, Conflict<ApiError>>> ExtendAsync(
        string id, ExtendErasureRequest body, StorageDbContext db, ErasureSecretVault vault, AuditLog audit, TimeProvider clock, HttpContext context,
        CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return NotFound(id);
        }
        if (body.Months is < 1 or > 2 || string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 1000)
        {
            return TypedResults.BadRequest(new ApiError("months must be 1 or 2 and a reason (at most 1000 characters) is required."));
        }
        var now = clock.GetUtcNow();
        if (request.ExtendedAt is not null || request.State is ErasureState.Completed or ErasureState.Cancelled)
        {
            return TypedResults.Conflict(new ApiError(request.ExtendedAt is not null ? "The request was already extended once." : $"The request is {ErasureRequestResponse.StateName(request.State)}."));
        }
        if (now >= request.ReceivedAt.AddMonths(1))
        {
            return TypedResults.Conflict(new ApiError("An extension must be decided within the first month after receipt (GDPR Art. 12(3))."));
        }
        request.DueAt = request.ReceivedAt.AddMonths(1 + body.Months);
        request.ExtendedAt = now;
        request.ExtensionReason = body.Reason.Trim();
        await audit.AppendAsync(context.User.UserName(), "erasure.extend", id, new { months = body.Months, dueAt = request.DueAt, reason = request.ExtensionReason }, cancellationToken);
        return TypedResults.Ok(ErasureRequestResponse.From(request, now, (await vault.HeldAsync([id], cancellationToken)).Count > 0));
    }

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
