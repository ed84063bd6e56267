using System.Diagnostics;

namespace StorageServer.Observability;

/// <summary>
/// Counts every request and the body bytes it moved. Bodies are wrapped rather than read from
/// Content-Length, so chunked git pushes and aborted uploads count what really crossed the wire.
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, StorageMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // Outside the request log (tests, other hosts) this wraps the bodies; inside it, its counters are reused.
        var requestBody = CountingStream.Around(context.Request.Body);
        var responseBody = CountingStream.Around(context.Response.Body);
        context.Request.Body = requestBody;
        context.Response.Body = responseBody;
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            metrics.Request(RouteKinds.Of(context.Request.Path), context.Request.Method, status,
                requestBody.Count, responseBody.Count, Stopwatch.GetElapsedTime(started));
        }
    }
}
