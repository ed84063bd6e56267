namespace StorageServer.Lfs;

/// <summary>
/// Keeps the LFS API speaking LFS JSON when something goes wrong: a malformed request body
/// becomes its 4xx, a bug becomes a 500 <c>{message, request_id}</c> (never HTML or
/// ProblemDetails, which git-lfs cannot show), and a client hanging up is logged, not reported.
/// Results are guarded too, so an exception while writing a response that has not started yet
/// is also turned into LFS JSON.
/// </summary>
internal sealed class LfsEndpointFilter(ILogger<LfsEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            var result = await next(context);
            return result is IResult inner ? new GuardedResult(inner, this) : result;
        }
        catch (Exception e)
        {
            return Handle(context.HttpContext, e);
        }
    }

    private void LogAborted(HttpContext context) => LfsLog.RequestAborted(logger, context.Request.Method, context.Request.Path);

    private IResult Handle(HttpContext context, Exception exception)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            LfsLog.RequestAborted(logger, context.Request.Method, context.Request.Path);
            return Results.Empty;
        }
        if (exception is BadHttpRequestException bad)
        {
            return LfsResults.Error(bad.StatusCode, bad.Message);
        }
        if (DiskSpace.DiskFull.Is(exception))
        {
            logger.LogError("Disk full during {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, exception.Message);
            return DiskSpace.InsufficientStorage.Result(context.RequestServices.GetRequiredService<DiskSpace.DiskSpaceGuard>());
        }
        if (Health.DependencyOutage.IsOutage(exception, out var dependency))
        {
            logger.LogWarning(exception, "{Dependency} unavailable during {Method} {Path}", dependency, context.Request.Method, context.Request.Path);
            return new Health.DependencyOutageResult(dependency);
        }
        LfsLog.RequestFailed(logger, exception, context.Request.Method, context.Request.Path);
        return LfsResults.Error(StatusCodes.Status500InternalServerError, "Internal server error; quote the request id when reporting it.");
    }

    private sealed class GuardedResult(IResult inner, LfsEndpointFilter filter) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                await inner.ExecuteAsync(httpContext);
            }
            catch (Exception e) when (!httpContext.Response.HasStarted)
            {
                httpContext.Response.Clear();
                await filter.Handle(httpContext, e).ExecuteAsync(httpContext);
            }
            catch (Exception) when (httpContext.RequestAborted.IsCancellationRequested)
            {
                filter.LogAborted(httpContext);
            }
        }
    }
}
