using System.ComponentModel.DataAnnotations;

namespace StorageServer.Jobs;

/// <summary>Background jobs (Quartz.NET, clustered on the metadata database). Section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Whether this node's scheduler runs jobs. A node with <c>false</c> still serves <c>/api/jobs</c>
    /// and queues runs, which the nodes with <c>true</c> pick up.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many jobs this node runs at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>A run still going after this is cancelled and ends <c>timed_out</c>.</summary>
    public TimeSpan DefaultMaxRunDuration { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Per-job overrides of <see cref="DefaultMaxRunDuration"/>, by job name.</summary>
    public Dictionary<string, TimeSpan> MaxRunDurations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Recurring runs: job name to a Quartz cron expression, e.g. <c>RescanAll = "0 0 3 * * ?"</c> (UTC).</summary>
    public Dictionary<string, string> Schedules { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>This node's id in the cluster; <c>AUTO</c> derives a unique one at startup.</summary>
    [Required]
    public string InstanceId { get; set; } = "AUTO";

    /// <summary>
    /// How often the node checks in with the cluster. A dead node's runs are recovered, and a cancel
    /// sent to another node lands, within about one interval.
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an idle scheduler waits before looking for due firings again. A run queued through
    /// this node starts at once; one queued through another node (or by a node with jobs disabled)
    /// is picked up here within this.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRunDurationOf(string job) =>
        MaxRunDurations.TryGetValue(job, out var duration) ? duration : DefaultMaxRunDuration;
}
