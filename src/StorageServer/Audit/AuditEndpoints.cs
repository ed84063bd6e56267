using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;

namespace StorageServer.Audit;

/// <summary><c>/api/audit</c>: read the audit trail and check its hash chain.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/audit").RequireServerAdmin().WithTags("Audit");
        group.MapGet("/", async Task<Ok<List<AuditEventResponse>>> (AuditTrail trail, long? after, int? limit, CancellationToken cancellationToken) =>
            TypedResults.Ok(await trail.ListAsync(after, limit, newestFirst: false, cancellationToken)));
        group.MapGet("/verify", async Task<Ok<AuditVerification>> (AuditTrail trail, CancellationToken cancellationToken) =>
            TypedResults.Ok(await trail.VerifyAsync(cancellationToken)));
        return group;
    }
}

public sealed record AuditEventResponse(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? Details, string PreviousHash, string Hash);

public sealed record AuditVerification(bool Valid, int Entries, long? FirstBrokenId, string? Head);
