using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Api;

/// <param name="Subject">The data subject's key (e.g. a customer id). Kept only as a keyed hash.</param>
/// <param name="Identifiers">Strings to look for in stored content (e-mail, name…). Never logged; kept sealed (AES-GCM) only until the request completes.</param>
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

/// <param name="PreviewedAt">When the preview was ready (GET …/preview); null while received.</param>
/// <param name="Flags">Why the preview needs an explicit acknowledgement to be approved (<c>record-share</c>, <c>unparsed</c>, <c>tag-tip</c>).</param>
/// <param name="Approvers">Who approved, in order (one, or two with four eyes).</param>
public sealed record ErasureRequestResponse(
    string Id, string Subject, string LegalBasis, string State, string? StateReason, bool ContentScan, bool IdentifiersHeld,
    DateTimeOffset ReceivedAt, DateTimeOffset DueAt, bool Overdue, string? ExtensionReason, DateTimeOffset? ExtendedAt,
    DateTimeOffset? PreviewedAt, IReadOnlyList<string> Flags, IReadOnlyList<string> Approvers, DateTimeOffset? ApprovedAt,
    DateTimeOffset? RestrictedAt, DateTimeOffset? CompletedAt, int ObjectsTotal, int ObjectsErased, string RequestedBy)
{
    public static ErasureRequestResponse From(ErasureRequest r, DateTimeOffset now, bool identifiersHeld) => new(
        r.Id, r.SubjectHash, r.LegalBasis, StateName(r.State), r.StateReason, r.ContentScan, identifiersHeld,
        r.ReceivedAt, r.DueAt, r.State is not (ErasureState.Completed or ErasureState.Cancelled) && r.DueAt < now, r.ExtensionReason, r.ExtendedAt,
        r.PlannedAt, r.Flags?.Split(',') ?? [], new[] { r.FirstApprover, r.SecondApprover }.OfType<string>().ToList(), r.ApprovedAt,
        r.RestrictedAt, r.CompletedAt, r.ItemsTotal, r.ItemsDone, r.RequestedBy);

    public static string StateName(ErasureState state) => state.ToString().ToLowerInvariant();
}

public sealed record QueuedResponse(string Message, long JobRunId);
