using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StorageServer.Health;

/// <summary>
/// <c>{"status":"Unhealthy","checks":{"database":"Unhealthy: database unreachable",…}}</c>: says which
/// dependency failed without exception details (the endpoints are anonymous).
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => e.Value.Description is { Length: > 0 } description ? $"{e.Value.Status}: {description}" : e.Value.Status.ToString());
        return JsonSerializer.SerializeAsync(context.Response.Body, new HealthReportBody(report.Status.ToString(), checks), HealthJsonContext.Default.HealthReportBody, context.RequestAborted);
    }
}

internal sealed record HealthReportBody(string Status, Dictionary<string, string> Checks);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthReportBody))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
