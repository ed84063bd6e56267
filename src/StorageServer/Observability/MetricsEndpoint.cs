using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Prometheus;

namespace StorageServer.Observability;

/// <summary><c>GET /metrics</c>: this node's counters in the Prometheus text format (prometheus-net), to loopback callers or the scrape token.</summary>
internal static class MetricsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, StorageMetrics metrics, IOptions<MetricsOptions> options)
    {
        if (!options.Value.Enabled)
        {
            return Results.NotFound();
        }
        if (!IsAllowed(context, options.Value.ScrapeToken))
        {
            return Results.Json(new Admin.ApiError("metrics are served to loopback callers or with the Metrics:ScrapeToken bearer token"),
                statusCode: StatusCodes.Status403Forbidden);
        }
        // prometheus-net writes the text exposition format; a few KiB, so buffered for a Content-Length.
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text, context.RequestAborted);
        return Results.Bytes(text.ToArray(), PrometheusConstants.ExporterContentTypeValue.ToString());
    }

    private static bool IsAllowed(HttpContext context, string? scrapeToken)
    {
        if (scrapeToken is not null && context.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(scrapeToken));
        }
        var remote = context.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote) && !context.Request.Headers.ContainsKey("X-Forwarded-For");
    }
}
