using StorageServer.Erasure.Preview;

namespace StorageServer.Erasure.Api;

/// <summary>
/// <c>GET /api/erasure/requests/{id}/preview</c>: what an approval would do. Objects are paged
/// (<c>offset</c>, <c>limit</c>); each lists where the pointer index saw it (repository, path, commit).
/// </summary>
public sealed record PreviewResponse(
    string RequestId, string State, DateTimeOffset? PreviewedAt, IReadOnlyList<string> Flags, double FlagRecordShare,
    int ApprovalsRequired, IReadOnlyList<ApprovalResponse> Approvals, PreviewSummary Summary, TipEffects Tips, PreviewObjectPage Objects);

public sealed record ApprovalResponse(string Approver, DateTimeOffset ApprovedAt);

/// <param name="Versions">Indexed (repository, commit, path) occurrences of these objects.</param>
public sealed record PreviewSummary(int Objects, int Erase, int Redact, int RecordsRemoved, int Repositories, int Versions);

public sealed record PreviewObjectPage(int Total, int Offset, int Limit, IReadOnlyList<PreviewObject> Items);

/// <param name="Action"><c>erase</c> (the whole object) or <c>redact</c> (the records below removed, the rest kept byte for byte).</param>
/// <param name="Sources"><c>path-rule</c>, <c>tag</c>, <c>scan</c>.</param>
public sealed record PreviewObject(
    string Oid, long? Size, string Action, IReadOnlyList<string> Sources, string? Flag, PreviewRecords? Records, PreviewLocations Locations);

public sealed record PreviewRecords(int Total, int Removed, IReadOnlyList<RecordExample> Examples);

/// <summary>Where the object was seen: the first <see cref="Preview.ErasurePreviewQuery.MaxLocations"/> of <c>total</c>.</summary>
public sealed record PreviewLocations(int Total, IReadOnlyList<PreviewLocation> Shown);

public sealed record PreviewLocation(string Repository, string Path, string Commit);

/// <param name="AcknowledgeFlags">Must be true when the preview is flagged: the approver read the flags.</param>
public sealed record ApproveErasureRequest(bool AcknowledgeFlags = false);

public sealed record CancelErasureRequest(string? Reason);
