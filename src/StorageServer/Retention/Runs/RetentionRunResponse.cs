using System.Text.Json;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Runs;

/// <summary>A run as the API and the reports show it.</summary>
public sealed record RetentionRunResponse(
    long Id, string Kind, bool DryRun, string State, string? Repository, string? RequestedBy, long? JobRunId,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    long Candidates, long CandidateBytes, long Trashed, long TrashedBytes, long Held, long FilesExpired,
    long Swept, long SweptBytes, long ClaimsReleased, long SkippedRevived, long SkippedBusy, long Errors, string? Error, RunSummary? Summary)
{
    public static RetentionRunResponse From(RetentionRun r) => new(
        r.Id, r.Kind.ToString().ToLowerInvariant(), r.DryRun, r.State.ToString().ToLowerInvariant(), r.Repository, r.RequestedBy, r.JobRunId,
        r.StartedAt, r.FinishedAt, r.Candidates, r.CandidateBytes, r.Trashed, r.TrashedBytes, r.Held, r.FilesExpired,
        r.Swept, r.SweptBytes, r.ClaimsReleased, r.SkippedRevived, r.SkippedBusy, r.Errors, r.Error,
        r.Summary is null ? null : JsonSerializer.Deserialize<RunSummary>(r.Summary, Json));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
