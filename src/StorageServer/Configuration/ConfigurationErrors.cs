using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace StorageServer.Configuration;

/// <summary>
/// Turns the exceptions a bad setting causes at startup (a value the binder cannot convert, a
/// failed validation) into one line naming the key, for the operator reading the service's log;
/// anything else is a bug and keeps its stack trace.
/// </summary>
public static partial class ConfigurationErrors
{
    /// <summary>The one-line message, or null when <paramref name="exception"/> is not a configuration error.</summary>
    public static string? Describe(Exception exception)
    {
        var messages = new List<string>();
        if (!Collect(exception, messages))
        {
            return null;
        }
        return "StorageServer: configuration error: " + string.Join("; ", messages.Distinct(StringComparer.Ordinal))
            .ReplaceLineEndings(" ");
    }

    private static bool Collect(Exception exception, List<string> messages)
    {
        switch (exception)
        {
            case AggregateException aggregate:
                return aggregate.InnerExceptions.All(e => Collect(e, messages));
            case OptionsValidationException validation:
                messages.AddRange(validation.Failures);
                return true;
            case InvalidOperationException when BinderFailure().Match(exception.Message) is { Success: true } match:
                var value = match.Groups["value"].Success ? $"'{match.Groups["value"].Value}'" : "the value";
                messages.Add($"{match.Groups["key"].Value}: {value} is not a valid {ShortTypeName(match.Groups["type"].Value)}.");
                return true;
            default:
                return exception.InnerException is { } inner && Collect(inner, messages);
        }
    }

    private static string ShortTypeName(string type) => type.StartsWith("System.", StringComparison.Ordinal) ? type["System.".Length..] : type;

    // ConfigurationBinder: "Failed to convert configuration value 'abc' at 'Lfs:MaxObjectSize' to type 'System.Int64'."
    [GeneratedRegex(@"^Failed to convert configuration value (?:'(?<value>.*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex BinderFailure();
}
