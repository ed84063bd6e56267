using Microsoft.Extensions.Options;

namespace StorageServer.Observability;

/// <summary>Checks <see cref="TelemetryOptions"/> at startup; every message names the full configuration key.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        const string s = TelemetryOptions.Section;
        var errors = new List<string>();
        if (options.OtlpEndpoint is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https") })
        {
            errors.Add($"{s}:OtlpEndpoint must be an absolute http or https URL.");
        }
        if (options.OtlpHeaders is { } headers
            && headers.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(h => h.IndexOf('=', StringComparison.Ordinal) is < 1))
        {
            errors.Add($"{s}:OtlpHeaders must be key=value pairs separated by commas.");
        }
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            errors.Add($"{s}:ServiceName must not be empty.");
        }
        if (options.MetricExportInterval < TimeSpan.FromSeconds(1) || options.MetricExportInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{s}:MetricExportInterval must be between 00:00:01 and 01:00:00.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
