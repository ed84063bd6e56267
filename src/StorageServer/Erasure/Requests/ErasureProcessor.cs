using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Preview;
using StorageServer.Erasure.Receipts;
using StorageServer.Erasure.Redaction;
using StorageServer.Holds;
using StorageServer.Jobs;

namespace StorageServer.Erasure.Requests;

/// <summary>
/// Drives one request: received → previewed (stops: an admin approves) → approved → branch tips
/// updated → historical versions restricted → erasing → completed, or deferred while a hold
/// covers one of its objects (tips updated and versions restricted all the same). Every step is
/// recorded before the next starts and each object's erasure commits on its own, so a run that
/// dies anywhere is resumed by the next one without redoing or skipping an object.
/// </summary>
public sealed class ErasureProcessor(
    StorageDbContext db, ErasurePreviewer previewer, BranchTipUpdater tips, ObjectRestriction restriction, ObjectEraser eraser, LegalHoldQuery holds,
    ErasureSecretVault vault, ErasureVerifier verifier, ReceiptIssuer receipts, AuditLog audit, ErasureTestHooks hooks, TimeProvider clock,
    ILogger<ErasureProcessor> logger)
{
    private const string Actor = ErasureActors.System;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(string requestId, IJobProgress progress, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken)
            ?? throw new JobParameterException($"Erasure request '{requestId}' not found.");
        if (request.State is ErasureState.Completed or ErasureState.Cancelled)
        {
            return;
        }
        var secrets = await vault.GetAsync(requestId, cancellationToken);
        if (request.PlannedAt is null)
        {
            if (request.ContentScan && secrets is null)
            {
                await WaitForIdentifiersAsync(request, "planning", cancellationToken);
                return;
            }
            await previewer.PreviewAsync(request, secrets, progress, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        if (request.ApprovedAt is null)
        {
            return; // Nothing changes before the preview is approved.
        }
        var items = await db.Set<ErasureItem>().Where(i => i.RequestId == requestId).OrderBy(i => i.Oid).ToListAsync(cancellationToken);

        // 1. Branch tips first, at every run (a deferred request too): no tip may keep a version
        //    about to be restricted. 2. Then every version not erased yet is restricted (the fence
        //    against uploads). Only then may a hold defer the request.
        await tips.UpdateTipsAsync(request, items, secrets, cancellationToken);
        var pending = items.Where(i => i.ErasedAt is null).ToList();
        var restricted = await restriction.RestrictAsync(pending.Select(i => i.Oid).ToList(), cancellationToken);
        if (request.RestrictedAt is null || restricted > 0)
        {
            request.RestrictedAt ??= clock.GetUtcNow();
            if (request.State is ErasureState.Approved or ErasureState.Previewed)
            {
                request.State = ErasureState.Restricted;
                request.StateReason = null;
            }
            await audit.AppendAsync(Actor, "erasure.restrict", request.Id, new { objects = restricted }, cancellationToken);
        }
        await hooks.PauseAtAsync("restricted", cancellationToken);
        if ((await holds.FindHeldAsync(pending.Select(i => i.Oid).ToList(), cancellationToken)).Values.FirstOrDefault() is { } hold)
        {
            await DeferAsync(request, hold, cancellationToken);
            return;
        }
        if (request.State != ErasureState.Erasing)
        {
            request.State = ErasureState.Erasing;
            request.StateReason = null;
            await audit.AppendAsync(Actor, "erasure.erasing", request.Id, new { objects = pending.Count }, cancellationToken);
        }

        var erasedInThisRun = 0;
        var lastReport = clock.GetTimestamp();
        foreach (var item in pending)
        {
            // Re-checked at the moment of deletion: a hold placed since the last check wins.
            if (await holds.FindHeldAsync(item.Oid, cancellationToken) is { } lateHold)
            {
                await DeferAsync(request, lateHold, cancellationToken);
                return;
            }
            await restriction.WaitForUploadsAsync(item.Oid, cancellationToken);
            await eraser.EraseAsync(request, item, cancellationToken);
            hooks.AfterObjectErased(++erasedInThisRun);
            if (erasedInThisRun == 1)
            {
                await hooks.PauseAtAsync("erasing", cancellationToken);
            }
            // The request row holds exact progress; the job run's copy is refreshed once a second.
            if (clock.GetElapsedTime(lastReport) >= ProgressInterval)
            {
                await progress.ReportAsync(request.ItemsDone, request.ItemsTotal, $"erased {request.ItemsDone} of {request.ItemsTotal} objects", cancellationToken);
                lastReport = clock.GetTimestamp();
            }
        }
        await progress.ReportAsync(request.ItemsDone, request.ItemsTotal, $"erased {request.ItemsDone} of {request.ItemsTotal} objects", cancellationToken);

        if (request.ContentScan && secrets is null)
        {
            await WaitForIdentifiersAsync(request, "verification", cancellationToken);
            return;
        }
        var verification = await verifier.VerifyAsync(items, secrets, cancellationToken);
        if (!verification.Passed)
        {
            request.StateReason = $"Verification failed: {verification.StoresStillHolding} erased objects still stored, {verification.Matches} stored objects still contain an identifier.";
            await audit.AppendAsync(Actor, "erasure.verification_failed", request.Id, verification, cancellationToken);
            throw new InvalidOperationException(request.StateReason);
        }
        await receipts.IssueAsync(request, items, verification, secrets, cancellationToken);
        await vault.RemoveAsync(requestId, cancellationToken);
        logger.LogInformation("Erasure request {ErasureRequest} completed: {Objects} objects", request.Id, items.Count);
    }

    private async Task DeferAsync(ErasureRequest request, HoldMatch hold, CancellationToken cancellationToken)
    {
        var reason = $"Legal hold {hold.HoldId} (case {hold.CaseReference}) covers objects of this request: erasure deferred under GDPR Art. 17(3)(e) until it is released. Branch tips no longer hold them; the versions are restricted.";
        if (request.State == ErasureState.Deferred && request.StateReason == reason)
        {
            await db.SaveChangesAsync(cancellationToken);
            return; // Still waiting on the same hold: nothing new to record.
        }
        request.State = ErasureState.Deferred;
        request.StateReason = reason;
        await audit.AppendAsync(Actor, "erasure.defer", request.Id, new { hold = hold.HoldId }, cancellationToken);
        logger.LogInformation("Erasure request {ErasureRequest} deferred by legal hold {HoldId}", request.Id, hold.HoldId);
    }

    private async Task WaitForIdentifiersAsync(ErasureRequest request, string step, CancellationToken cancellationToken)
    {
        request.StateReason = $"Waiting for the identifiers (they were removed before the request finished) before {step}: POST /api/erasure/requests/{request.Id}/identifiers.";
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Erasure request {ErasureRequest} waits for its identifiers before {Step}", request.Id, step);
    }
}
