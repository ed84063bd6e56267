namespace StorageServer.Data.Migrations.Quartz;

/// <summary>Quartz 4.7.3's tables (without prefix), dependants first so they can be dropped in order.</summary>
internal static class QuartzTableNames
{
    public static readonly IReadOnlyList<string> DropOrder =
    [
        "simple_triggers", "cron_triggers", "simprop_triggers", "blob_triggers", "triggers", "job_details",
        "calendars", "paused_trigger_grps", "paused_job_grps", "fired_triggers", "scheduler_state", "locks",
        "execution_history", "misfire_history", "job_status",
    ];
}
