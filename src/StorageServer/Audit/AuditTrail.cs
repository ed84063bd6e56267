using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Audit;

/// <summary>Reads the audit trail and checks its hash chain, for the admin API and the console.</summary>
public sealed class AuditTrail(StorageDbContext db)
{
    /// <summary>Entries after <paramref name="after"/> in order, or the newest ones (newest first) when <paramref name="newestFirst"/>.</summary>
    public async Task<List<AuditEventResponse>> ListAsync(long? after, int? limit, bool newestFirst, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var query = db.AuditEvents.AsNoTracking();
        if (newestFirst)
        {
            query = query.Where(a => after == null || a.Id < after).OrderByDescending(a => a.Id);
        }
        else
        {
            query = query.Where(a => a.Id > (after ?? 0)).OrderBy(a => a.Id);
        }
        var entries = await query.Take(take).ToListAsync(cancellationToken);
        return entries.Select(e => new AuditEventResponse(e.Id, e.At, e.Actor, e.Action, e.Target, e.DetailsJson, e.PreviousHash, e.Hash)).ToList();
    }

    /// <summary>Recomputes every link, in constant memory; names the first entry that breaks the chain.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var verifier = new AuditChain.Verifier();
        await foreach (var entry in db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!verifier.Accept(entry))
            {
                return new AuditVerification(false, verifier.Count, entry.Id, verifier.Head);
            }
        }
        return new AuditVerification(true, verifier.Count, null, verifier.Head);
    }
}
