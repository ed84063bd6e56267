using System.Diagnostics;
using StorageServer.Auth;
using StorageServer.Observability;

namespace StorageServer.Logging;

/// <summary>
/// One line per request, written when it ends: method, path (never the query string, where a
/// client might put a secret), status, duration, body bytes in and out, and the authenticated
/// user (<c>-</c> for none). Health probes and scrapes go at Debug, so probes every few seconds
/// do not bury the traffic; so does a line when each request starts.
/// </summary>
internal sealed partial class RequestLogMiddleware(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "StorageServer.Requests";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Started(_logger, context.Request.Method, FullPath(context.Request));
        }
        // The same counters serve the request metrics further in (CountingStream.Around): one wrapper per body.
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
            var probe = IsProbe(context.Request.Path);
            if (_logger.IsEnabled(probe ? LogLevel.Debug : LogLevel.Information))
            {
                var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var user = context.User.Identity?.IsAuthenticated == true ? context.User.UserName() : "-";
                var path = FullPath(context.Request);
                if (probe)
                {
                    Probe(_logger, context.Request.Method, path, status, elapsed, requestBody.Count, responseBody.Count, user);
                }
                else
                {
                    Request(_logger, context.Request.Method, path, status, elapsed, requestBody.Count, responseBody.Count, user);
                }
            }
        }
    }

    private static string FullPath(HttpRequest request) => request.PathBase.HasValue ? request.PathBase.Add(request.Path).ToString() : request.Path.ToString();

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");

    /// <summary>At Debug: which node a long transfer is running on, before it ends.</summary>
    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Method} {Path} started")]
    private static partial void Started(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} {ElapsedMilliseconds}ms in:{RequestBytes} out:{ResponseBytes} user:{User}")]
    private static partial void Request(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds, long requestBytes, long responseBytes, string user);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Method} {Path} {StatusCode} {ElapsedMilliseconds}ms in:{RequestBytes} out:{ResponseBytes} user:{User}")]
    private static partial void Probe(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds, long requestBytes, long responseBytes, string user);
}
