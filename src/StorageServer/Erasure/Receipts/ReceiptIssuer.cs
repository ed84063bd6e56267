using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Matching;

namespace StorageServer.Erasure.Receipts;

/// <summary>
/// Builds, signs and records the receipt of a completed request, and completes it. The payload is
/// serialised once; those bytes are what the JWS signs, what is stored and what is served.
/// </summary>
public sealed class ReceiptIssuer(StorageDbContext db, ReceiptSigner signer, SubjectHasher hasher, AuditLog audit, TimeProvider clock)
{
    public const int Version = 2;

    /// <summary>Web defaults, without escaping non-ASCII or HTML-sensitive characters: the payload is meant to be read as JSON, as it is.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task IssueAsync(ErasureRequest request, IReadOnlyList<ErasureItem> items, ErasureVerification verification, ScanSecrets? secrets, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var auditHead = await db.AuditEvents.AsNoTracking().OrderByDescending(a => a.Id).Select(a => a.Hash).FirstAsync(cancellationToken);
        var payload = new ReceiptPayload(
            Version, request.Id, request.SubjectHash, request.LegalBasis, request.ReceivedAt, request.DueAt, request.ApprovedAt,
            new[] { request.FirstApprover, request.SecondApprover }.OfType<string>().ToList(), request.RestrictedAt, now,
            items.Select(i => hasher.Oid(i.Oid)).Order(StringComparer.Ordinal).ToList(),
            items.Where(i => i.SuccessorOid is not null).Select(i => new ReceiptRedaction(hasher.Oid(i.Oid), i.SuccessorOid!)).ToList(),
            await HistoryPathsAsync(request, items, secrets, cancellationToken),
            [new ReceiptStore(verification.Store, verification.ObjectsChecked, verification.StoresStillHolding, verification.StoresStillHolding == 0 ? "absent" : "present")],
            new ReceiptVerification(verification.Passed, verification.ContentScanPerformed, verification.ObjectsScanned, verification.Matches),
            auditHead, signer.KeyId);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, Json);
        db.Set<ErasureReceipt>().Add(new ErasureReceipt
        {
            RequestId = request.Id,
            PayloadJson = Encoding.UTF8.GetString(bytes),
            Signature = "",
            Jws = signer.SignJws(bytes),
            IssuedAt = now,
        });
        request.State = ErasureState.Completed;
        request.CompletedAt = now;
        request.StateReason = null;
        // Saved together with the receipt and the request's new state.
        await audit.AppendAsync(ErasureActors.System, "erasure.complete", request.Id,
            new { subject = request.SubjectHash, receipt = Digest(bytes), objects = items.Count }, cancellationToken);
    }

    /// <summary>SHA-256 of the payload bytes, recorded in the completion's audit event.</summary>
    public static string Digest(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary>
    /// Paths where the pointer index saw an object of this request and that name the subject: a
    /// whole segment (or its name without extension) hashing to the subject, or (when the
    /// identifiers are at hand) a segment holding one of them at token boundaries.
    /// </summary>
    private async Task<List<ReceiptHistoryPath>> HistoryPathsAsync(ErasureRequest request, IReadOnlyList<ErasureItem> items, ScanSecrets? secrets, CancellationToken cancellationToken)
    {
        var paths = (await PointerLocations.FindAsync(db, items.Select(i => i.Oid).ToList(), cancellationToken))
            .Select(l => (Repository: l.Repository.Name, l.Path));
        var identifiers = secrets is null ? null : IdentifierMatcher.FromPatterns(secrets.Patterns, secrets.CaseInsensitive);
        bool NamesSubject(string segment) =>
            hasher.Subject(segment) == request.SubjectHash
            || hasher.Subject(Path.GetFileNameWithoutExtension(segment)) == request.SubjectHash
            || identifiers?.Find(segment) >= 0;
        return paths.Distinct()
            .Where(p => p.Path.Split('/').Any(NamesSubject))
            .Select(p => new ReceiptHistoryPath(p.Repository, hasher.Path(p.Repository, p.Path)))
            .OrderBy(p => p.Repository, StringComparer.Ordinal).ThenBy(p => p.PathHash, StringComparer.Ordinal)
            .ToList();
    }
}
