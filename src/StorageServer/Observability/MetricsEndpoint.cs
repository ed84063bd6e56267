using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace StorageServer.Observability;

/// <summary><c>GET /metrics</c>: this node's counters in the Prometheus text format.</summary>
internal static class MetricsEndpoint
{
    public static IResult Handle(HttpContext context, MetricsCollector collector, IOptions<MetricsOptions> options)
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
        return Results.Text(PrometheusText.Write(collector.Series), PrometheusText.ContentType, Encoding.UTF8);
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
