using System.Text.Json;
using StorageServer.Data.Entities;

namespace StorageServer.Jobs;

public sealed record JobResponse(string Name, string Description, string? Schedule, DateTimeOffset? NextFireTime);

public sealed record JobRunProgress(long Done, long? Total, string? Message);

public sealed record JobRunResponse(
    long Id,
    string Job,
    string Trigger,
    string? RequestedBy,
    JsonElement? Parameters,
    string State,
    JobRunProgress Progress,
    string? Node,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    public static JobRunResponse From(JobRun run) => new(
        run.Id,
        run.Job,
        NameOf(run.Trigger),
        run.RequestedBy,
        run.ParametersJson is null ? null : JsonSerializer.Deserialize<JsonElement>(run.ParametersJson),
        NameOf(run.State),
        new JobRunProgress(run.ProgressDone, run.ProgressTotal, run.ProgressMessage),
        run.Node,
        run.ScheduledFor,
        run.QueuedAt,
        run.StartedAt,
        run.FinishedAt,
        run.Error);

    /// <summary>The API's spelling of an enum value: <c>timed_out</c>, <c>manual</c>.</summary>
    public static string NameOf<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
