using Microsoft.Extensions.Options;
using StorageServer.Auth;

namespace StorageServer.Observability;

/// <summary>A scrape token is a credential like any other: no placeholder, enough entropy.</summary>
internal sealed class ScrapeTokenStrengthValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        options.ScrapeToken is { } token && SecretStrength.TokenWeakness(token) is { } weakness
            ? ValidateOptionsResult.Fail($"{MetricsOptions.Section}:ScrapeToken {weakness}.")
            : ValidateOptionsResult.Success;
}
