using Microsoft.Extensions.Options;
using StorageServer.Auth;

namespace StorageServer.Configuration;

/// <summary>
/// Stops startup when any of the server's settings still holds a stand-in from the deploy files
/// (<c>replace-with-…</c>, <c>replace-me</c>…): a database password, an S3 secret or a token left as
/// shipped. Each is named by its key (and the admin token by its environment variable too).
/// </summary>
public static class PlaceholderSettings
{
    /// <summary>The configuration sections the server reads.</summary>
    public static readonly string[] Sections =
        ["StorageServer", "Auth", "Erasure", "Database", "ObjectStore", "Git", "Lfs", "Limits", "Jobs", "Retention", "Metrics", "DiskSpace"];

    public static void ThrowIfAny(IConfiguration configuration)
    {
        var failures = Sections
            .SelectMany(section => configuration.GetSection(section).AsEnumerable())
            .Where(setting => setting.Value is { Length: > 0 } value && SecretStrength.IsPlaceholder(value))
            .Select(setting => $"{Name(setting.Key)} is a placeholder from the deploy files; set a real value ({SecretStrength.Advice} for a secret).")
            .OrderBy(message => message, StringComparer.Ordinal)
            .ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("placeholders", typeof(PlaceholderSettings), failures);
        }
    }

    private static string Name(string key) =>
        key == $"{AuthOptions.Section}:AdminToken" ? $"{AdminCredential.EnvironmentVariable} ({key})" : key;
}
