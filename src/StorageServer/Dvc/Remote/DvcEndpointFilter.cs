using StorageServer.Health;

namespace StorageServer.Dvc.Remote;

/// <summary>
/// Keeps the DVC remote's failures in its own terms: a body that breaks off or is malformed
/// (chunked framing) becomes its 4xx, a dependency outage a 503 with Retry-After (DVC retries
/// GET and HEAD on 5xx), a bug a 500 in plain text, and a client hanging up after the headers
/// of an existence check (which DVC always does) is logged, not reported.
/// </summary>
internal sealed class DvcEndpointFilter(ILogger<DvcEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            DvcLog.RequestAborted(logger, http.Request.Method, http.Request.Path);
            return Results.Empty;
        }
        catch (BadHttpRequestException bad)
        {
            return DvcResults.Error(bad.StatusCode, bad.Message);
        }
        catch (Exception e) when (DependencyOutage.IsOutage(e, out var dependency))
        {
            logger.LogWarning(e, "{Dependency} unavailable during {Method} {Path}", dependency, http.Request.Method, http.Request.Path);
            return new DependencyOutageResult(dependency);
        }
        catch (Exception e)
        {
            DvcLog.RequestFailed(logger, e, http.Request.Method, http.Request.Path);
            return DvcResults.Error(StatusCodes.Status500InternalServerError, $"Internal server error; quote request id {http.TraceIdentifier} when reporting it.");
        }
    }
}
