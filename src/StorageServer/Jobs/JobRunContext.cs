using System.Text.Json;

namespace StorageServer.Jobs;

/// <summary>What a <see cref="StorageJob"/> gets for one run.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="RunId">The <c>job_runs</c> row of this run.</param>
/// <param name="Parameters">The run's JSON parameters; an empty object when none were given.</param>
/// <param name="Progress">Where to report progress.</param>
/// <param name="ScheduledFireTime">When Quartz meant to fire it (UTC, Quartz's clock).</param>
public sealed record JobRunContext(string Job, long RunId, JsonElement Parameters, IJobProgress Progress, DateTimeOffset? ScheduledFireTime)
{
    /// <summary>The string parameter <paramref name="name"/>, or null when absent or not a string.</summary>
    public string? GetString(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>Thrown by a job for a run it cannot do as asked (a bad parameter); the run ends failed with the message.</summary>
public sealed class JobParameterException(string message) : Exception(message);
