namespace StorageServer.Holds;

/// <summary>Exactly one scope: <c>oid</c>; or <c>repository</c>; or <c>path</c> (a glob), optionally within <c>repository</c>.</summary>
public sealed record CreateHoldRequest(string? CaseReference, string? Repository, string? Path, string? Oid, string? Reason);

public sealed record ReleaseHoldRequest(string? Reason);

public sealed record HoldResponse(
    long Id, string CaseReference, string? Repository, string? Path, string? Oid, string? Reason,
    string CreatedBy, DateTimeOffset CreatedAt, bool Active, DateTimeOffset? ReleasedAt, string? ReleasedBy, string? ReleaseReason);
