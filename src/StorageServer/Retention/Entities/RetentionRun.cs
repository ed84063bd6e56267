namespace StorageServer.Retention.Entities;

public enum RetentionRunKind
{
    Mark = 0,
    Sweep = 1,

    /// <summary>Crash leftovers reclaimed (<see cref="Reconciliation.CrashLeftoverReconciler"/>).</summary>
    Reconcile = 2,
}

public enum RetentionRunState
{
    Running = 0,
    Completed = 1,
    Failed = 2,
}

/// <summary>
/// One mark (dry or real), sweep or reconciliation, with its totals. A reconciliation counts the
/// leftovers it found as candidates and those it reclaimed as swept.
/// </summary>
public sealed class RetentionRun
{
    public long Id { get; set; }

    public RetentionRunKind Kind { get; set; }

    public bool DryRun { get; set; }

    public RetentionRunState State { get; set; }

    /// <summary>Only this repository, or null for all.</summary>
    public string? Repository { get; set; }

    public string? RequestedBy { get; set; }

    /// <summary>The <c>job_runs</c> row that ran it, when it ran as a job.</summary>
    public long? JobRunId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public long Candidates { get; set; }

    public long CandidateBytes { get; set; }

    public long Trashed { get; set; }

    public long TrashedBytes { get; set; }

    public long Held { get; set; }

    public long FilesExpired { get; set; }

    public long Swept { get; set; }

    public long SweptBytes { get; set; }

    public long ClaimsReleased { get; set; }

    public long SkippedRevived { get; set; }

    public long SkippedBusy { get; set; }

    public long Errors { get; set; }

    public string? Error { get; set; }

    /// <summary>A mark's <see cref="Runs.RunSummary"/> as JSON: what kept the claims it did not reclaim.</summary>
    public string? Summary { get; set; }

    /// <summary>Id and version of each policy the run used, as JSON.</summary>
    public string? PoliciesJson { get; set; }
}
