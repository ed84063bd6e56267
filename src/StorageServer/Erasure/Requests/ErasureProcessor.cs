using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Receipts;
using StorageServer.Erasure.Redaction;
using StorageServer.Holds;
using StorageServer.Jobs;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Requests;

/// <summary>
/// Drives one request through received → restricted → erasing → completed (or deferred). Every
/// step is recorded before the next starts and each object's erasure commits on its own, so a
/// run that dies anywhere is resumed by the next one without redoing or skipping an object.
/// </summary>
public sealed class ErasureProcessor(
    StorageDbContext db, ErasurePlanner planner, BranchTipUpdater tips, LegalHoldQuery holds, IObjectStore store, ErasureSecretVault vault,
    ErasureVerifier verifier, ReceiptIssuer receipts, AuditLog audit, SubjectHasher hasher, ErasureCrashHook crashHook, TimeProvider clock,
    ILogger<ErasureProcessor> logger)
{
    private const string Actor = ErasureActors.System;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(string requestId, IJobProgress progress, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken)
            ?? throw new JobParameterException($"Erasure request '{requestId}' not found.");
        if (request.State == ErasureState.Completed)
        {
            return;
        }
        var secrets = vault.Get(requestId);
        if (request.PlannedAt is null)
        {
            if (request.ContentScan && secrets is null)
            {
                await WaitForIdentifiersAsync(request, "planning", cancellationToken);
                return;
            }
            await PlanAsync(request, secrets, progress, cancellationToken);
        }
        var items = await db.Set<ErasureItem>().Where(i => i.RequestId == requestId).OrderBy(i => i.Oid).ToListAsync(cancellationToken);
        if (request.State == ErasureState.Received)
        {
            await RestrictAsync(request, items, cancellationToken);
        }
        var pending = items.Where(i => i.ErasedAt is null).ToList();
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

        await tips.UpdateTipsAsync(request, pending, cancellationToken);

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
            await EraseAsync(request, item, cancellationToken);
            crashHook.AfterObjectErased(++erasedInThisRun);
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
        vault.Remove(requestId);
        logger.LogInformation("Erasure request {ErasureRequest} completed: {Objects} objects", request.Id, items.Count);
    }

    private async Task PlanAsync(ErasureRequest request, ScanSecrets? secrets, IJobProgress progress, CancellationToken cancellationToken)
    {
        var items = await planner.PlanAsync(request, secrets, progress, cancellationToken);
        db.Set<ErasureItem>().AddRange(items);
        request.ItemsTotal = items.Count;
        request.PlannedAt = clock.GetUtcNow();
        request.StateReason = null;
        await audit.AppendAsync(Actor, "erasure.plan", request.Id, new
        {
            objects = items.Count,
            erase = items.Count(i => i.Action == ErasureAction.Erase),
            redact = items.Count(i => i.Action == ErasureAction.Redact),
        }, cancellationToken);
        logger.LogInformation("Erasure request {ErasureRequest} planned: {Objects} objects", request.Id, items.Count);
    }

    /// <summary>Art. 18: the objects stay stored but are no longer served (404) until erased.</summary>
    private async Task RestrictAsync(ErasureRequest request, List<ErasureItem> items, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var oids = items.Select(i => i.Oid).ToList();
        var restricted = 0;
        foreach (var chunk in oids.Chunk(500))
        {
            restricted += await db.Objects.Where(o => chunk.Contains(o.Oid) && o.State == ObjectState.Live)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Restricted).SetProperty(o => o.StateChangedAt, now), cancellationToken);
        }
        request.State = ErasureState.Restricted;
        request.RestrictedAt = now;
        await audit.AppendAsync(Actor, "erasure.restrict", request.Id, new { objects = restricted }, cancellationToken);
    }

    /// <summary>
    /// Deletes the bytes (no trash), tombstones the object, and records the item as done. The
    /// object row, tombstone, item and audit entry are saved by one SaveChanges (AuditLog shares
    /// this context), so they commit together; a crash before it just deletes again (a no-op).
    /// </summary>
    private async Task EraseAsync(ErasureRequest request, ErasureItem item, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.DeleteAsync(Oid.Parse(item.Oid), cancellationToken);
        var stored = await db.Objects.SingleOrDefaultAsync(o => o.Oid == item.Oid, cancellationToken);
        if (stored is not null)
        {
            stored.State = ObjectState.Purged;
            stored.StateChangedAt = now;
        }
        var oidHash = hasher.Oid(item.Oid);
        if (!await db.Set<ErasureTombstone>().AnyAsync(t => t.OidHash == oidHash, cancellationToken))
        {
            db.Set<ErasureTombstone>().Add(new ErasureTombstone { OidHash = oidHash, RequestId = request.Id, ErasedAt = now });
        }
        item.ErasedAt = now;
        request.ItemsDone++;
        await audit.AppendAsync(Actor, "erasure.erase", request.Id, new { @object = oidHash, action = item.Action.ToString().ToLowerInvariant() }, cancellationToken);
    }

    private async Task DeferAsync(ErasureRequest request, HoldMatch hold, CancellationToken cancellationToken)
    {
        var reason = $"Legal hold {hold.HoldId} (case {hold.CaseReference}) covers objects of this request: erasure deferred under GDPR Art. 17(3)(e) until it is released.";
        if (request.State == ErasureState.Deferred && request.StateReason == reason)
        {
            return; // Still waiting on the same hold: nothing new to record.
        }
        request.State = ErasureState.Deferred;
        request.StateReason = reason;
        await audit.AppendAsync(Actor, "erasure.defer", request.Id, new { hold = hold.HoldId }, cancellationToken);
        logger.LogInformation("Erasure request {ErasureRequest} deferred by legal hold {HoldId}", request.Id, hold.HoldId);
    }

    private async Task WaitForIdentifiersAsync(ErasureRequest request, string step, CancellationToken cancellationToken)
    {
        request.StateReason = $"Waiting for the identifiers (held in memory only, lost at a restart) before {step}: POST /api/erasure/requests/{request.Id}/identifiers.";
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Erasure request {ErasureRequest} waits for its identifiers before {Step}", request.Id, step);
    }
}
