using System.Text.Json;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Requests;
using StorageServer.Jobs;

namespace StorageServer.Erasure.Preview;

/// <summary>
/// Computes a request's preview: every object it would erase or redact (with, per redacted file,
/// the records removed and a few keyed examples), what happens at branch and tag tips, and the
/// flags that need an explicit acknowledgement. Nothing is restricted or committed: the request
/// waits in <see cref="ErasureState.Previewed"/> for approval.
/// </summary>
public sealed class ErasurePreviewer(StorageDbContext db, ErasurePlanner planner, TipEffectReader tips, AuditLog audit, TimeProvider clock, ILogger<ErasurePreviewer> logger)
{
    /// <summary>At most this many tip effects are kept with the request (a count says how many there were).</summary>
    public const int MaxTipEffects = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PreviewAsync(ErasureRequest request, ScanSecrets? secrets, IJobProgress progress, CancellationToken cancellationToken)
    {
        var items = await planner.PlanAsync(request, secrets, progress, cancellationToken);
        var effects = await tips.ReadAsync(items.ToDictionary(i => i.Oid, i => i.Action, StringComparer.Ordinal), cancellationToken);
        db.Set<ErasureItem>().AddRange(items);
        request.ItemsTotal = items.Count;
        request.PlannedAt = clock.GetUtcNow();
        request.TipsJson = JsonSerializer.Serialize(new TipEffects(effects.Count, effects.Take(MaxTipEffects).ToList()), Json);
        request.Flags = PreviewFlags.Join(items.Select(i => i.Flag).Append(effects.Any(e => e.Action == "keep") ? PreviewFlags.TagTip : null));
        request.State = ErasureState.Previewed;
        request.StateReason = items.Count == 0
            ? "The preview found nothing of this subject: approving completes the request with an empty receipt."
            : "Waiting for approval of the preview.";
        await audit.AppendAsync(ErasureActors.System, "erasure.preview", request.Id, new
        {
            objects = items.Count,
            erase = items.Count(i => i.Action == ErasureAction.Erase),
            redact = items.Count(i => i.Action == ErasureAction.Redact),
            recordsRemoved = items.Sum(i => i.RecordsRemoved ?? 0),
            flags = request.Flags,
        }, cancellationToken);
        logger.LogInformation("Erasure request {ErasureRequest} previewed: {Objects} objects, flags {Flags}", request.Id, items.Count, request.Flags ?? "none");
    }
}

/// <summary>The tip effects kept with a request: how many there were, and the first <see cref="ErasurePreviewer.MaxTipEffects"/>.</summary>
public sealed record TipEffects(int Total, List<TipEffect> Effects);
