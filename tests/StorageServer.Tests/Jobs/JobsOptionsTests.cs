using Microsoft.Extensions.Options;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Jobs;

public sealed class JobsOptionsTests
{
    [Theory]
    [InlineData("Jobs:Schedules:RescanAll", "every night", "Jobs:Schedules:RescanAll: 'every night' is not a Quartz cron expression")]
    [InlineData("Jobs:Schedules:Nope", "0 0 3 * * ?", "Jobs:Schedules:Nope: no such job")]
    [InlineData("Jobs:DefaultMaxRunDuration", "00:00:00", "Jobs:DefaultMaxRunDuration must be positive")]
    [InlineData("Jobs:MaxConcurrency", "0", "MaxConcurrency")]
    public void Bad_jobs_settings_stop_the_server_naming_the_key(string key, string value, string message)
    {
        using var server = new StorageServerFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => server.CreateClient());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
