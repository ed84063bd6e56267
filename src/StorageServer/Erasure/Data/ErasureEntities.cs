namespace StorageServer.Erasure.Data;

/// <summary>
/// Where an erasure request stands: received → previewed → (approved by one admin, or two with
/// four eyes) approved → restricted → erasing → completed; deferred while a legal hold covers one of
/// its objects; cancelled before approval. The numbers are stored; never renumber.
/// </summary>
public enum ErasureState
{
    /// <summary>Filed; the preview is being computed.</summary>
    Received = 0,

    /// <summary>Branch tips updated, historical versions restricted (stored, served as 404).</summary>
    Restricted = 1,

    Erasing = 2,
    Completed = 3,

    /// <summary>Approved, tips updated and versions restricted, but a legal hold covers some of its objects.</summary>
    Deferred = 4,

    /// <summary>The preview is ready; nothing changed yet; waits for approval.</summary>
    Previewed = 5,

    /// <summary>Approved; the branch tips are being updated.</summary>
    Approved = 6,

    /// <summary>Withdrawn before approval; nothing was changed.</summary>
    Cancelled = 7,
}

/// <summary>
/// One data subject's erasure request (GDPR Art. 17). The subject is kept only as a keyed hash;
/// identifiers given for a content scan are kept sealed apart (<see cref="SealedIdentifiers"/>), never here.
/// </summary>
public sealed class ErasureRequest
{
    /// <summary>Random id handed to the requester; names the request in commits, audit and receipt.</summary>
    public required string Id { get; set; }

    public required string SubjectHash { get; set; }

    public required string LegalBasis { get; set; }

    public ErasureState State { get; set; }

    /// <summary>Why the request is deferred or waiting (no personal data).</summary>
    public string? StateReason { get; set; }

    /// <summary>True when the request came with identifiers: it is planned and verified with a content scan.</summary>
    public bool ContentScan { get; set; }

    public bool CaseInsensitive { get; set; }

    public required string RequestedBy { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public string? ExtensionReason { get; set; }

    public DateTimeOffset? ExtendedAt { get; set; }

    public DateTimeOffset? PlannedAt { get; set; }

    /// <summary>Comma-separated reasons the preview needs an explicit acknowledgement to be approved (see <see cref="PreviewFlags"/>); null when none.</summary>
    public string? Flags { get; set; }

    /// <summary>What the preview found at branch and tag tips (JSON list of <c>TipEffect</c>), for review.</summary>
    public string? TipsJson { get; set; }

    public string? FirstApprover { get; set; }

    public DateTimeOffset? FirstApprovedAt { get; set; }

    /// <summary>The second, different approver when <c>Erasure:RequireSecondApprover</c> is on.</summary>
    public string? SecondApprover { get; set; }

    public DateTimeOffset? SecondApprovedAt { get; set; }

    /// <summary>Set once every approval required was given: only then does anything change.</summary>
    public DateTimeOffset? ApprovedAt { get; set; }

    public DateTimeOffset? RestrictedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public int ItemsTotal { get; set; }

    public int ItemsDone { get; set; }
}

public enum ErasureAction
{
    /// <summary>The whole object is the subject's: its bytes are deleted.</summary>
    Erase = 0,

    /// <summary>A line-oriented file shared with others: a successor without the subject's lines replaces it, then it is erased.</summary>
    Redact = 1,
}

[Flags]
public enum SubjectSource
{
    None = 0,
    PathRule = 1,
    Tag = 2,
    Scan = 4,
}

/// <summary>One object of a request and how far its erasure got; persisted per object so a crash resumes exactly.</summary>
public sealed class ErasureItem
{
    public required string RequestId { get; set; }

    public required string Oid { get; set; }

    public ErasureAction Action { get; set; }

    public SubjectSource Source { get; set; }

    /// <summary>Legacy (requests planned before record-aware matching): zero-based numbers of the lines to drop, comma-separated.</summary>
    public string? DropLines { get; set; }

    /// <summary>
    /// The subject's records for <see cref="ErasureAction.Redact"/>: byte ranges of the original,
    /// <c>start+length</c> comma-separated, each a whole record with its line break. Never content.
    /// </summary>
    public string? DropRanges { get; set; }

    /// <summary>Records the file holds (redaction only).</summary>
    public int? RecordsTotal { get; set; }

    /// <summary>Records the redaction removes.</summary>
    public int? RecordsRemoved { get; set; }

    /// <summary>A few removed records as keyed hashes with their position (JSON list of <c>RecordExample</c>), for the preview.</summary>
    public string? Examples { get; set; }

    /// <summary>Why this object needs an acknowledgement in the preview (<see cref="PreviewFlags"/>), or null.</summary>
    public string? Flag { get; set; }

    public string? SuccessorOid { get; set; }

    /// <summary>
    /// Set once no branch tip holds the object any more: the server committed the successor's
    /// pointer (redaction) or the removal of the path (whole-object erasure) on every tip that did.
    /// </summary>
    public bool TipsUpdated { get; set; }

    public DateTimeOffset? ErasedAt { get; set; }
}

/// <summary>An object a data pipeline (or a content scan) said holds a subject's data.</summary>
public sealed class SubjectTag
{
    public required string SubjectHash { get; set; }

    public required string Oid { get; set; }

    public SubjectSource Source { get; set; }

    public required string TaggedBy { get; set; }

    public DateTimeOffset TaggedAt { get; set; }
}

/// <summary>A repository's rule naming where a subject's files live, e.g. <c>data/customers/{subject}/**</c>.</summary>
public sealed class SubjectPathRule
{
    public long Id { get; set; }

    public long RepositoryId { get; set; }

    public required string Pattern { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Keyed hash of an erased oid: its upload is refused for good, whatever happens to the object row.</summary>
public sealed class ErasureTombstone
{
    public required string OidHash { get; set; }

    public required string RequestId { get; set; }

    public DateTimeOffset ErasedAt { get; set; }
}

/// <summary>The signed receipt of a completed request.</summary>
public sealed class ErasureReceipt
{
    public required string RequestId { get; set; }

    public required string PayloadJson { get; set; }

    /// <summary>Version 1 receipts only: base64 ECDSA signature over the canonical payload. Empty for JWS receipts.</summary>
    public required string Signature { get; set; }

    /// <summary>The receipt as a JWS (RFC 7515 compact, ES256) whose payload is exactly <see cref="PayloadJson"/>'s bytes; null for version 1 receipts.</summary>
    public string? Jws { get; set; }

    public DateTimeOffset IssuedAt { get; set; }
}

/// <summary>Identifiers of a request or scan, AES-GCM sealed, deleted when the work that needs them ends.</summary>
public sealed class SealedIdentifiers
{
    /// <summary>The request id, or <c>scan:</c> and the scan id.</summary>
    public required string Id { get; set; }

    public required string Sealed { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
