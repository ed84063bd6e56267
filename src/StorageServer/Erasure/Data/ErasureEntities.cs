namespace StorageServer.Erasure.Data;

/// <summary>Where an erasure request stands. The numbers are stored; never renumber.</summary>
public enum ErasureState
{
    Received = 0,
    Restricted = 1,
    Erasing = 2,
    Completed = 3,
    Deferred = 4,
}

/// <summary>
/// One data subject's erasure request (GDPR Art. 17). The subject is kept only as a keyed hash;
/// identifiers given for a content scan live in memory (<see cref="ErasureSecretVault"/>), never here.
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

    /// <summary>Zero-based numbers of the lines to drop (comma-separated) for <see cref="ErasureAction.Redact"/>.</summary>
    public string? DropLines { get; set; }

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

    public required string Signature { get; set; }

    public DateTimeOffset IssuedAt { get; set; }
}
