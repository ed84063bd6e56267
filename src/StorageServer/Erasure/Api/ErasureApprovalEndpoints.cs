using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Jobs;

namespace StorageServer.Erasure.Api;

/// <summary>
/// <c>POST /api/erasure/requests/{id}/approve</c> and <c>…/cancel</c>. Nothing is committed,
/// restricted or erased before a preview is approved: by one admin, or with
/// <c>Erasure:RequireSecondApprover</c> by two different ones. A flagged preview needs
/// <c>acknowledgeFlags</c>. A request can be cancelled until it is approved.
/// </summary>
internal static class ErasureApprovalEndpoints
{
    public static void MapErasureApproval(this RouteGroupBuilder group)
    {
        group.MapPost("/requests/{id}/approve", ApproveAsync);
        group.MapPost("/requests/{id}/cancel", CancelAsync);
    }

    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>, Conflict<ApiError>>> ApproveAsync(
        string id, ApproveErasureRequest? body, StorageDbContext db, ErasureSecretVault vault, ErasureLauncher launcher, AuditLog audit,
        IOptions<ErasureOptions> options, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return TypedResults.NotFound(new ApiError($"Erasure request '{id}' not found."));
        }
        if (request.State != ErasureState.Previewed)
        {
            return TypedResults.Conflict(new ApiError(request.State == ErasureState.Received
                ? "The preview is not ready yet; approve it once the request is previewed."
                : $"The request is {ErasureRequestResponse.StateName(request.State)}: only a previewed request can be approved."));
        }
        var acknowledged = body?.AcknowledgeFlags ?? false;
        if (request.Flags is { } flags && !acknowledged)
        {
            return TypedResults.Conflict(new ApiError(
                $"The preview is flagged ({flags}): review it (GET /api/erasure/requests/{id}/preview), then approve with {{\"acknowledgeFlags\": true}}."));
        }
        var approver = context.User.UserName();
        var now = clock.GetUtcNow();
        var required = options.Value.RequireSecondApprover ? 2 : 1;
        if (request.FirstApprover is null)
        {
            request.FirstApprover = approver;
            request.FirstApprovedAt = now;
        }
        else if (string.Equals(request.FirstApprover, approver, StringComparison.Ordinal))
        {
            return TypedResults.Conflict(new ApiError($"{approver} already approved this request: four eyes need a second, different admin."));
        }
        else
        {
            request.SecondApprover = approver;
            request.SecondApprovedAt = now;
        }
        var given = request.SecondApprover is null ? 1 : 2;
        if (given >= required)
        {
            request.ApprovedAt = now;
            request.State = ErasureState.Approved;
            request.StateReason = null;
        }
        else
        {
            request.StateReason = $"Approved by {approver}; waiting for a second, different admin to approve (four eyes).";
        }
        await audit.AppendAsync(approver, "erasure.approve", id, new { approvals = given, required, acknowledgedFlags = request.Flags }, cancellationToken);
        if (request.ApprovedAt is not null)
        {
            await launcher.RunRequestAsync(id, approver, cancellationToken);
        }
        return TypedResults.Ok(ErasureRequestResponse.From(request, now, (await vault.HeldAsync([id], cancellationToken)).Count > 0));
    }

    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>, BadRequest<ApiError>, Conflict<ApiError>>> CancelAsync(
        string id, CancelErasureRequest body, StorageDbContext db, ErasureSecretVault vault, AuditLog audit, TimeProvider clock, HttpContext context,
        CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return TypedResults.NotFound(new ApiError($"Erasure request '{id}' not found."));
        }
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 1000)
        {
            return TypedResults.BadRequest(new ApiError("reason is required (at most 1000 characters)."));
        }
        if (request.State is not (ErasureState.Received or ErasureState.Previewed))
        {
            return TypedResults.Conflict(new ApiError($"The request is {ErasureRequestResponse.StateName(request.State)}: only a request not approved yet can be cancelled."));
        }
        request.State = ErasureState.Cancelled;
        request.StateReason = "Cancelled: " + body.Reason.Trim();
        await audit.AppendAsync(context.User.UserName(), "erasure.cancel", id, new { reason = body.Reason.Trim() }, cancellationToken);
        await vault.RemoveAsync(id, cancellationToken);
        return TypedResults.Ok(ErasureRequestResponse.From(request, clock.GetUtcNow(), false));
    }
}
