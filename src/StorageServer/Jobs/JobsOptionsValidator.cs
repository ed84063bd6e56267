using Microsoft.Extensions.Options;
using Quartz;

namespace StorageServer.Jobs;

/// <summary>Fails startup on a schedule for an unknown job, a cron expression Quartz cannot parse, or a non-positive duration.</summary>
internal sealed class JobsOptionsValidator(IEnumerable<JobDefinition> definitions) : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var known = definitions.Select(d => d.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var failures = new List<string>();
        foreach (var (job, cron) in options.Schedules)
        {
            if (!known.Contains(job))
            {
                failures.Add($"Jobs:Schedules:{job}: no such job. Known jobs: {string.Join(", ", known.Order())}.");
            }
            else if (!IsCron(cron))
            {
                failures.Add($"Jobs:Schedules:{job}: '{cron}' is not a Quartz cron expression (seconds first, e.g. '0 0 3 * * ?').");
            }
        }
        if (!IsDuration(options.DefaultMaxRunDuration))
        {
            failures.Add("Jobs:DefaultMaxRunDuration must be positive and at most 24 days, e.g. '06:00:00'.");
        }
        failures.AddRange(options.MaxRunDurations.Where(d => !IsDuration(d.Value))
            .Select(d => $"Jobs:MaxRunDurations:{d.Key} must be positive and at most 24 days, e.g. '01:00:00'."));
        if (options.ClusterCheckinInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Jobs:ClusterCheckinInterval must be at least one second.");
        }
        if (options.PollInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Jobs:PollInterval must be at least one second.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A CancellationTokenSource delay: positive and under int.MaxValue milliseconds.</summary>
    private static bool IsDuration(TimeSpan duration) => duration > TimeSpan.Zero && duration <= TimeSpan.FromDays(24);

    private static bool IsCron(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
