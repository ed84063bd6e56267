namespace StorageServer.Erasure.Receipts;

/// <summary>
/// What a receipt states. No personal data: the subject, erased objects and history paths appear
/// only as keyed hashes (HMAC-SHA256 with the server's erasure key).
/// </summary>
public sealed record ReceiptPayload(
    int Version,
    string RequestId,
    string Subject,
    string LegalBasis,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? ApprovedAt,
    IReadOnlyList<string> Approvers,
    DateTimeOffset? RestrictedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<string> ErasedObjects,
    IReadOnlyList<ReceiptRedaction> Redactions,
    IReadOnlyList<ReceiptHistoryPath> HistoryPaths,
    IReadOnlyList<ReceiptStore> Stores,
    ReceiptVerification Verification,
    string AuditHead,
    string KeyId);

/// <param name="Erased">Keyed hash of the erased version.</param>
/// <param name="Successor">The redacted successor now at the branch tips (holds none of the subject's data).</param>
public sealed record ReceiptRedaction(string Erased, string Successor);

/// <summary>A path in git history that names the subject; history is not rewritten, its bytes are gone.</summary>
public sealed record ReceiptHistoryPath(string Repository, string PathHash);

public sealed record ReceiptStore(string Name, int ObjectsChecked, int StillHeld, string Status);

public sealed record ReceiptVerification(bool Passed, bool ContentScanPerformed, int ObjectsScanned, int Matches);

/// <summary>What the verifier found for a submitted receipt (a JWS, or a version 1 envelope).</summary>
public sealed record ReceiptCheck(
    bool Valid, bool SignatureValid, bool MatchesIssuedReceipt, bool AuditChainValid, bool AuditHeadFound, bool CompletionAudited, string? Problem);
