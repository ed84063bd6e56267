using System.Text;
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
/// Takes a JWS (a JSON string, or <c>{"jws": "…"}</c> as <c>GET /api/erasure/receipts/{id}</c> serves
/// it) or a version 1 envelope (<c>{"payload": {…}, "signature": "…"}</c>), which stays verifiable.
/// </summary>
public sealed class ReceiptVerifierService(StorageDbContext db, ReceiptSigner signer)
{
    private const string NotAReceipt =
        "Not a receipt: expected a JWS (\"eyJ…\" or {\"jws\": \"eyJ…\"}) or a version 1 receipt {\"payload\": {...}, \"signature\": \"...\"}.";

    public async Task<ReceiptCheck> CheckAsync(JsonElement receipt, CancellationToken cancellationToken)
    {
        var jws = receipt.ValueKind == JsonValueKind.String ? receipt.GetString()
            : receipt.ValueKind == JsonValueKind.Object && receipt.TryGetProperty("jws", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString()
            : null;
        if (jws is not null)
        {
            var check = await CheckJwsAsync(jws, cancellationToken);
            // A receipt as served also shows the payload: it must say what the signed payload says.
            return receipt.ValueKind == JsonValueKind.Object && receipt.TryGetProperty("payload", out var shown) && check.SignatureValid && !SamePayload(shown, jws)
                ? check with { Valid = false, Problem = "The payload shown is not the payload the JWS signs (it was altered)." }
                : check;
        }
        if (receipt.ValueKind == JsonValueKind.Object && receipt.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object
            && receipt.TryGetProperty("signature", out var signature) && signature.ValueKind == JsonValueKind.String)
        {
            var canonical = CanonicalJson.Bytes(payload);
            return await CheckAsync(canonical, signer.VerifyLegacy(canonical, signature.GetString()!), issued => issued.Jws is null && issued.PayloadJson == Encoding.UTF8.GetString(canonical), cancellationToken);
        }
        return Invalid(NotAReceipt);
    }

    private async Task<ReceiptCheck> CheckJwsAsync(string jws, CancellationToken cancellationToken)
    {
        var payload = signer.VerifyJws(jws.Trim());
        if (payload is not null)
        {
            return await CheckAsync(payload, true, issued => issued.Jws == jws.Trim(), cancellationToken);
        }
        // The signature does not hold: still read the payload, so the answer can say which request it claims.
        var parts = jws.Trim().Split('.');
        try
        {
            return parts.Length == 3 ? await CheckAsync(Jose.Base64Url.Decode(parts[1]), false, _ => false, cancellationToken) : Invalid(NotAReceipt);
        }
        catch (FormatException)
        {
            return Invalid(NotAReceipt);
        }
    }

    private async Task<ReceiptCheck> CheckAsync(byte[] payload, bool signatureValid, Func<ErasureReceipt, bool> matches, CancellationToken cancellationToken)
    {
        string? requestId, auditHead;
        try
        {
            using var document = JsonDocument.Parse(payload);
            requestId = document.RootElement.TryGetProperty("requestId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            auditHead = document.RootElement.TryGetProperty("auditHead", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        }
        catch (JsonException)
        {
            return Invalid(NotAReceipt);
        }
        if (requestId is null || auditHead is null)
        {
            return Invalid(NotAReceipt);
        }
        var issued = await db.Set<ErasureReceipt>().AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == requestId, cancellationToken);
        var matchesIssued = issued is not null && matches(issued);
        var digest = ReceiptIssuer.Digest(payload);
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

    private static bool SamePayload(JsonElement shown, string jws)
    {
        using var signed = JsonDocument.Parse(Jose.Base64Url.Decode(jws.Trim().Split('.')[1]));
        return CanonicalJson.Bytes(shown).AsSpan().SequenceEqual(CanonicalJson.Bytes(signed.RootElement));
    }

    private static ReceiptCheck Invalid(string problem) => new(false, false, false, false, false, false, problem);
}
