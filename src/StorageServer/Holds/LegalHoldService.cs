using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Globs;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Holds;

/// <summary>Outcome of a hold command: the hold, or why nothing changed.</summary>
public sealed record HoldCommandResult(LegalHold? Hold, string? Error, bool NotFound = false);

/// <summary>Places and releases legal holds; both are audited, and a release tells the listeners.</summary>
public sealed class LegalHoldService(
    StorageDbContext db, AuditLog audit, TimeProvider clock, IEnumerable<ILegalHoldReleaseListener> listeners, ILogger<LegalHoldService> logger)
{
    private const int MaxCaseReferenceLength = 200;

    public async Task<HoldCommandResult> CreateAsync(CreateHoldRequest request, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.CaseReference) || request.CaseReference.Length > MaxCaseReferenceLength)
        {
            return Invalid($"caseReference is required (1 to {MaxCaseReferenceLength} characters).");
        }
        if (request.Oid is not null && (request.Repository is not null || request.Path is not null))
        {
            return Invalid("An oid hold covers the object everywhere: give oid alone, or repository and/or path.");
        }
        if (request.Oid is null && request.Repository is null && request.Path is null)
        {
            return Invalid("Give the scope of the hold: oid, repository, or path (a glob, optionally with repository).");
        }
        if (request.Oid is not null && !Oid.IsValid(request.Oid))
        {
            return Invalid("oid must be 64 lowercase hex characters (SHA-256).");
        }
        if (request.Path is not null && !PathGlob.TryParse(request.Path, out _, out var globError))
        {
            return Invalid($"path: {globError}");
        }
        long? repositoryId = null;
        if (request.Repository is not null)
        {
            repositoryId = await db.Repositories.Where(r => r.Name == request.Repository).Select(r => (long?)r.Id).SingleOrDefaultAsync(cancellationToken);
            if (repositoryId is null)
            {
                return new HoldCommandResult(null, $"Repository '{request.Repository}' not found.", NotFound: true);
            }
        }
        var hold = new LegalHold
        {
            CaseReference = request.CaseReference.Trim(),
            RepositoryId = repositoryId,
            PathGlob = request.Path,
            Oid = request.Oid,
            Reason = request.Reason,
            CreatedBy = actor,
            CreatedAt = clock.GetUtcNow(),
        };
        db.LegalHolds.Add(hold);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor, "hold.create", $"hold/{hold.Id}",
            new { after = new { hold.CaseReference, request.Repository, hold.PathGlob, hold.Oid, hold.Reason } }, cancellationToken);
        return new HoldCommandResult(hold, null);
    }

    public async Task<HoldCommandResult> ReleaseAsync(long id, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Invalid("reason is required to release a hold.");
        }
        var now = clock.GetUtcNow();
        // Conditional update: of two concurrent releases exactly one changes the row.
        var released = await db.LegalHolds.Where(h => h.Id == id && h.ReleasedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.ReleasedAt, now).SetProperty(h => h.ReleasedBy, actor).SetProperty(h => h.ReleaseReason, reason), cancellationToken);
        var hold = await db.LegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (hold is null)
        {
            return new HoldCommandResult(null, $"Hold {id} not found.", NotFound: true);
        }
        if (released == 0)
        {
            return Invalid($"Hold {id} was already released at {hold.ReleasedAt:O}.");
        }
        await audit.AppendAsync(actor, "hold.release", $"hold/{id}",
            new { before = new { active = true }, after = new { active = false, reason } }, cancellationToken);
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnReleasedAsync(hold, cancellationToken);
            }
#pragma warning disable CA1031 // The release is committed and audited; a failing listener must not undo or hide it.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Listener {Listener} failed after hold {HoldId} was released", listener.GetType().Name, id);
            }
        }
        return new HoldCommandResult(hold, null);
    }

    /// <summary>Holds in <paramref name="state"/> (active, released or all) by id; null for another state.</summary>
    public async Task<List<HoldResponse>?> ListAsync(string state, CancellationToken cancellationToken)
    {
        IQueryable<LegalHold>? query = state switch
        {
            "active" => db.LegalHolds.Where(h => h.ReleasedAt == null),
            "released" => db.LegalHolds.Where(h => h.ReleasedAt != null),
            "all" => db.LegalHolds,
            _ => null,
        };
        return query is null ? null : await DescribeAsync(await query.AsNoTracking().OrderBy(h => h.Id).ToListAsync(cancellationToken), cancellationToken);
    }

    public async Task<HoldResponse?> FindAsync(long id, CancellationToken cancellationToken) =>
        await db.LegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, cancellationToken) is { } hold ? await DescribeAsync(hold, cancellationToken) : null;

    public async Task<HoldResponse> DescribeAsync(LegalHold hold, CancellationToken cancellationToken) => (await DescribeAsync([hold], cancellationToken))[0];

    private async Task<List<HoldResponse>> DescribeAsync(IReadOnlyList<LegalHold> holds, CancellationToken cancellationToken)
    {
        var ids = holds.Where(h => h.RepositoryId is not null).Select(h => h.RepositoryId!.Value).Distinct().ToList();
        var names = await db.Repositories.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        return holds.Select(h => new HoldResponse(
            h.Id, h.CaseReference, h.RepositoryId is { } repo ? names.GetValueOrDefault(repo) : null, h.PathGlob, h.Oid, h.Reason,
            h.CreatedBy, h.CreatedAt, h.ReleasedAt is null, h.ReleasedAt, h.ReleasedBy, h.ReleaseReason)).ToList();
    }

    private static HoldCommandResult Invalid(string error) => new(null, error);
}
