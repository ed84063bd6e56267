using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Receipts;

/// <summary>
/// Checks a receipt as submitted: its signature with the server's key, that it is the receipt the
/// server issued for that request, that the audit chain holds, that it contains the event the
/// receipt names as its audit head, and that the completion event records this receipt's digest.
/// </summary>
public sealed class ReceiptVerifierService(StorageDbContext db, ReceiptSigner signer)
{
    public async Task<ReceiptCheck> CheckAsync(JsonElement receipt, CancellationToken cancellationToken)
    {
        if (receipt.ValueKind != JsonValueKind.Object
            || !receipt.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object
            || !receipt.TryGetProperty("signature", out var signatureElement) || signatureElement.ValueKind != JsonValueKind.String
            || !payload.TryGetProperty("requestId", out var requestIdElement) || requestIdElement.ValueKind != JsonValueKind.String
            || !payload.TryGetProperty("auditHead", out var auditHeadElement) || auditHeadElement.ValueKind != JsonValueKind.String)
        {
            return new ReceiptCheck(false, false, false, false, false, false, "Not a receipt: expected {\"payload\": {...requestId, auditHead...}, \"signature\": \"...\"}.");
        }
        var canonical = CanonicalJson.Bytes(payload);
        var signatureValid = signer.Verify(canonical, signatureElement.GetString()!);
        var requestId = requestIdElement.GetString()!;
        var issued = await db.Set<ErasureReceipt>().AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == requestId, cancellationToken);
        var matchesIssued = issued is not null && issued.PayloadJson == System.Text.Encoding.UTF8.GetString(canonical);

        var digest = ReceiptIssuer.Digest(canonical);
        var auditHead = auditHeadElement.GetString();
        var verifier = new AuditChain.Verifier();
        bool chainValid = true, headFound = false, completionAudited = false;
        await foreach (var entry in db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!verifier.Accept(entry))
            {
                chainValid = false;
                break;
            }
            headFound |= entry.Hash == auditHead;
            completionAudited |= entry.Action == "erasure.complete" && entry.Target == requestId
                && entry.DetailsJson is { } details && details.Contains(digest, StringComparison.Ordinal);
        }
        var valid = signatureValid && matchesIssued && chainValid && headFound && completionAudited;
        var problem = valid ? null
            : !signatureValid ? "The signature does not match the payload (altered, or signed by another key)."
            : !matchesIssued ? "The server issued a different receipt for this request."
            : !chainValid ? "The audit chain is broken."
            : !headFound ? "The audit event the receipt names is not in the audit chain."
            : "No audit event records the completion with this receipt.";
        return new ReceiptCheck(valid, signatureValid, matchesIssued, chainValid, headFound, completionAudited, problem);
    }

    /// <summary>The receipt as handed out: the payload as JSON plus the signature over its canonical bytes.</summary>
    public object Envelope(ErasureReceipt receipt) => new
    {
        payload = JsonDocument.Parse(receipt.PayloadJson).RootElement,
        signature = receipt.Signature,
        algorithm = ReceiptSigner.Algorithm,
        keyId = signer.KeyId,
    };
}
