using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;
using StorageServer.Auth;
using StorageServer.Erasure.Requests;

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

    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>, BadRequest<ApiError>, Conflict<ApiError>>> ApproveAsync(
        string id, ApproveErasureRequest? body, ErasureRequestService requests, HttpContext context, CancellationToken cancellationToken) =>
        ErasureRequestEndpoints.Answer(await requests.ApproveAsync(id, body?.AcknowledgeFlags ?? false, context.User.UserName(), cancellationToken));

    private static async Task<Results<Ok<ErasureRequestResponse>, NotFound<ApiError>, BadRequest<ApiError>, Conflict<ApiError>>> CancelAsync(
        string id, CancelErasureRequest body, ErasureRequestService requests, HttpContext context, CancellationToken cancellationToken) =>
        ErasureRequestEndpoints.Answer(await requests.CancelAsync(id, body.Reason, context.User.UserName(), cancellationToken));
}
