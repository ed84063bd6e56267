using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Data;

namespace StorageServer.Audit;

/// <summary><c>/api/audit</c>: read the audit trail and check its hash chain.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/audit").RequireServerAdmin().WithTags("Audit");
        group.MapGet("/", ListAsync);
        group.MapGet("/verify", VerifyAsync);
        return group;
    }

    private static async Task<Ok<List<AuditEventResponse>>> ListAsync(StorageDbContext db, long? after, int? limit, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var entries = await db.AuditEvents.AsNoTracking().Where(a => a.Id > (after ?? 0)).OrderBy(a => a.Id).Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(entries.Select(e => new AuditEventResponse(e.Id, e.At, e.Actor, e.Action, e.Target, e.DetailsJson, e.PreviousHash, e.Hash)).ToList());
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(StorageDbContext db, CancellationToken cancellationToken)
    {
        var verifier = new AuditChain.Verifier();
        await foreach (var entry in db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!verifier.Accept(entry))
            {
                return TypedResults.Ok(new AuditVerification(false, verifier.Count, entry.Id, verifier.Head));
            }
        }
        return TypedResults.Ok(new AuditVerification(true, verifier.Count, null, verifier.Head));
    }
}

public sealed record AuditEventResponse(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? Details, string PreviousHash, string Hash);

public sealed record AuditVerification(bool Valid, int Entries, long? FirstBrokenId, string? Head);
