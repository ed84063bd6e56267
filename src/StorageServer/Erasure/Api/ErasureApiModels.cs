using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Api;

/// <param name="Subject">The data subject's key (e.g. a customer id). Kept only as a keyed hash.</param>
/// <param name="Identifiers">Strings to look for in stored content (e-mail, name…). Held in memory only, never stored or logged.</param>
public sealed record CreateErasureRequest(string? Subject, string? LegalBasis, List<string>? Identifiers, bool CaseInsensitive = false);

public sealed record SupplyIdentifiersRequest(string? Subject, List<string>? Identifiers, bool CaseInsensitive = false);

public sealed record ExtendErasureRequest(int Months, string? Reason);

public sealed record SubjectRequest(string? Subject);

public sealed record TagSubjectRequest(string? Subject, List<string>? Oids);

public sealed record ScanSubjectRequest(string? Subject, List<string>? Identifiers, bool CaseInsensitive = false);

public sealed record CreatePathRuleRequest(string? Repository, string? Pattern);

public sealed record PathRuleResponse(long Id, string Repository, string Pattern, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record SubjectObjectsResponse(string Subject, List<SubjectObjectResponse> Objects);

public sealed record SubjectObjectResponse(string Oid, string? Repository, string? Path, string? Commit, string Source);

public sealed record ErasureRequestResponse(
    string Id, string Subject, string LegalBasis, string State, string? StateReason, bool ContentScan, bool IdentifiersInMemory,
    DateTimeOffset ReceivedAt, DateTimeOffset DueAt, bool Overdue, string? ExtensionReason, DateTimeOffset? ExtendedAt,
    DateTimeOffset? RestrictedAt, DateTimeOffset? CompletedAt, int ObjectsTotal, int ObjectsErased, string RequestedBy)
{
    public static ErasureRequestResponse From(ErasureRequest r, DateTimeOffset now, bool identifiersInMemory) => new(
        r.Id, r.SubjectHash, r.LegalBasis, StateName(r.State), r.StateReason, r.ContentScan, identifiersInMemory,
        r.ReceivedAt, r.DueAt, r.State != ErasureState.Completed && r.DueAt < now, r.ExtensionReason, r.ExtendedAt,
        r.RestrictedAt, r.CompletedAt, r.ItemsTotal, r.ItemsDone, r.RequestedBy);

    public static string StateName(ErasureState state) => state.ToString().ToLowerInvariant();
}

public sealed record PublicKeyResponse(string Algorithm, string KeyId, string PublicKeyPem);

public sealed record QueuedResponse(string Message, long JobRunId);
