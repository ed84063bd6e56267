namespace StorageServer.Data.Entities;

/// <summary>
/// One run of a background job: queued by an admin or a schedule, then run by whichever node's
/// scheduler picked it up. Written by <see cref="Jobs.StorageJob"/>; read by <c>/api/jobs/runs</c>.
/// </summary>
public sealed class JobRun
{
    public long Id { get; set; }

    /// <summary>The job's name, e.g. <c>RescanAll</c> (its Quartz job key).</summary>
    public required string Job { get; set; }

    public JobRunTrigger Trigger { get; set; }

    /// <summary>The admin who asked for a manual run; null for scheduled runs.</summary>
    public string? RequestedBy { get; set; }

    /// <summary>The run's parameters as a JSON object, or null.</summary>
    public string? ParametersJson { get; set; }

    public JobRunState State { get; set; }

    public long ProgressDone { get; set; }

    /// <summary>Null while the job does not know how much there is to do.</summary>
    public long? ProgressTotal { get; set; }

    public string? ProgressMessage { get; set; }

    /// <summary>The scheduler instance (node) that ran it.</summary>
    public string? Node { get; set; }

    /// <summary>Quartz's id of the firing, which <c>InterruptFireInstance</c> takes to cancel it.</summary>
    public string? FireInstanceId { get; set; }

    /// <summary>
    /// For a scheduled run, the tick it belongs to (Quartz's scheduled fire time). Unique per job, so
    /// one tick runs once across the cluster even if two schedulers ever fired it.
    /// </summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }
}

public enum JobRunTrigger
{
    Manual,
    Schedule,
}

public enum JobRunState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}
