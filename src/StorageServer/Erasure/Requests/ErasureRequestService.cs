using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Erasure.Api;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Jobs;

namespace StorageServer.Erasure.Requests;

/// <summary>Outcome of a request command: the request as shown, or why nothing changed.</summary>
public sealed record ErasureCommandResult(ErasureRequestResponse? Request, string? Error, bool NotFound = false, bool Conflict = false);

/// <summary>
/// Files, follows, extends, approves and cancels erasure requests, for the admin API and the web
/// console alike; every change is audited. Plain subjects and identifiers are hashed or sealed
/// here and never logged or echoed.
/// </summary>
public sealed class ErasureRequestService(
    StorageDbContext db, SubjectHasher hasher, ErasureSecretVault vault, ErasureLauncher launcher, AuditLog audit, IOptions<ErasureOptions> options, TimeProvider clock)
{
    public async Task<ErasureCommandResult> CreateAsync(CreateErasureRequest body, string actor, CancellationToken cancellationToken)
    {
        if ((ErasureInput.CheckSubject(body.Subject) ?? ErasureInput.CheckIdentifiers(body.Identifiers, required: false)) is { } error)
        {
            return Invalid(error);
        }
        if (string.IsNullOrWhiteSpace(body.LegalBasis) || body.LegalBasis.Length > 500)
        {
            return Invalid("legalBasis is required (at most 500 characters), e.g. \"GDPR Art. 17(1)(b): consent withdrawn\".");
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
            RequestedBy = actor,
            ReceivedAt = now,
            DueAt = now.AddMonths(1),
        };
        db.Set<ErasureRequest>().Add(request);
        // The audit append saves the request with it.
        await audit.AppendAsync(request.RequestedBy, "erasure.request", request.Id,
            new { subject = request.SubjectHash, legalBasis = request.LegalBasis, contentScan = request.ContentScan, dueAt = request.DueAt }, cancellationToken);
        if (request.ContentScan)
        {
            await vault.PutAsync(request.Id, ScanSecrets.Create(body.Subject!, body.Identifiers!, body.CaseInsensitive), cancellationToken);
        }
        await launcher.RunRequestAsync(request.Id, request.RequestedBy, cancellationToken);
        return new ErasureCommandResult(ErasureRequestResponse.From(request, now, request.ContentScan), null);
    }

    /// <summary>Requests by receipt, oldest first; null when <paramref name="state"/> is not a state.</summary>
    public async Task<List<ErasureRequestResponse>?> ListAsync(string? state, bool overdue, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = db.Set<ErasureRequest>().AsNoTracking();
        if (state is not null)
        {
            if (!Enum.TryParse<ErasureState>(state, ignoreCase: true, out var wanted) || int.TryParse(state, out _))
            {
                return null;
            }
            query = query.Where(r => r.State == wanted);
        }
        if (overdue)
        {
            query = query.Where(r => r.State != ErasureState.Completed && r.State != ErasureState.Cancelled && r.DueAt < now);
        }
        var requests = await query.OrderBy(r => r.ReceivedAt).ToListAsync(cancellationToken);
        var held = await vault.HeldAsync(requests.Select(r => r.Id).ToList(), cancellationToken);
        return requests.Select(r => ErasureRequestResponse.From(r, now, held.Contains(r.Id))).ToList();
    }

    public async Task<ErasureRequestResponse?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is null ? null : await ResponseAsync(request, cancellationToken);
    }

    /// <summary>Art. 12(3): up to two more months, with a reason, decided within the first month.</summary>
    public async Task<ErasureCommandResult> ExtendAsync(string id, int months, string? reason, string actor, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return NotFound(id);
        }
        if (months is < 1 or > 2 || string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
        {
            return Invalid("months must be 1 or 2 and a reason (at most 1000 characters) is required.");
        }
        var now = clock.GetUtcNow();
        if (request.ExtendedAt is not null || request.State is ErasureState.Completed or ErasureState.Cancelled)
        {
            return Conflict(request.ExtendedAt is not null ? "The request was already extended once." : $"The request is {ErasureRequestResponse.StateName(request.State)}.");
        }
        if (now >= request.ReceivedAt.AddMonths(1))
        {
            return Conflict("An extension must be decided within the first month after receipt (GDPR Art. 12(3)).");
        }
        request.DueAt = request.ReceivedAt.AddMonths(1 + months);
        request.ExtendedAt = now;
        request.ExtensionReason = reason.Trim();
        await audit.AppendAsync(actor, "erasure.extend", id, new { months, dueAt = request.DueAt, reason = request.ExtensionReason }, cancellationToken);
        return new ErasureCommandResult(await ResponseAsync(request, cancellationToken), null);
    }

    /// <summary>
    /// Approves a previewed request: by one admin, or with <c>Erasure:RequireSecondApprover</c> by two
    /// different ones; a flagged preview needs <paramref name="acknowledgeFlags"/>. The last approval queues the run.
    /// </summary>
    public async Task<ErasureCommandResult> ApproveAsync(string id, bool acknowledgeFlags, string approver, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return NotFound(id);
        }
        if (request.State != ErasureState.Previewed)
        {
            return Conflict(request.State == ErasureState.Received
                ? "The preview is not ready yet; approve it once the request is previewed."
                : $"The request is {ErasureRequestResponse.StateName(request.State)}: only a previewed request can be approved.");
        }
        if (request.Flags is { } flags && !acknowledgeFlags)
        {
            return Conflict($"The preview is flagged ({flags}): review it (GET /api/erasure/requests/{id}/preview), then approve with {{\"acknowledgeFlags\": true}}.");
        }
        var now = clock.GetUtcNow();
        var required = options.Value.RequireSecondApprover ? 2 : 1;
        if (request.FirstApprover is null)
        {
            (request.FirstApprover, request.FirstApprovedAt) = (approver, now);
        }
        else if (string.Equals(request.FirstApprover, approver, StringComparison.Ordinal))
        {
            return Conflict($"{approver} already approved this request: four eyes need a second, different admin.");
        }
        else
        {
            (request.SecondApprover, request.SecondApprovedAt) = (approver, now);
        }
        var given = request.SecondApprover is null ? 1 : 2;
        if (given >= required)
        {
            (request.ApprovedAt, request.State, request.StateReason) = (now, ErasureState.Approved, null);
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
        return new ErasureCommandResult(await ResponseAsync(request, cancellationToken), null);
    }

    /// <summary>Withdraws a request not approved yet; nothing was changed, the sealed identifiers go.</summary>
    public async Task<ErasureCommandResult> CancelAsync(string id, string? reason, string actor, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return NotFound(id);
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
        {
            return Invalid("reason is required (at most 1000 characters).");
        }
        if (request.State is not (ErasureState.Received or ErasureState.Previewed))
        {
            return Conflict($"The request is {ErasureRequestResponse.StateName(request.State)}: only a request not approved yet can be cancelled.");
        }
        request.State = ErasureState.Cancelled;
        request.StateReason = "Cancelled: " + reason.Trim();
        await audit.AppendAsync(actor, "erasure.cancel", id, new { reason = reason.Trim() }, cancellationToken);
        await vault.RemoveAsync(id, cancellationToken);
        return new ErasureCommandResult(ErasureRequestResponse.From(request, clock.GetUtcNow(), false), null);
    }

    private async Task<ErasureRequestResponse> ResponseAsync(ErasureRequest request, CancellationToken cancellationToken) =>
        ErasureRequestResponse.From(request, clock.GetUtcNow(), (await vault.HeldAsync([request.Id], cancellationToken)).Count > 0);

    private static ErasureCommandResult Invalid(string error) => new(null, error);

    private static ErasureCommandResult Conflict(string error) => new(null, error, Conflict: true);

    private static ErasureCommandResult NotFound(string id) => new(null, $"Erasure request '{id}' not found.", NotFound: true);
}
