namespace StorageServer.DiskSpace;

/// <summary>A write that hit a full disk anywhere in a request answers 507 with Retry-After instead of 500.</summary>
internal sealed class DiskFullMiddleware(RequestDelegate next, DiskSpaceGuard guard, ILogger<DiskFullMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && DiskFull.Is(e))
        {
            logger.LogError("Disk full during {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, e.Message);
            context.Response.Clear();
            await InsufficientStorage.Result(guard).ExecuteAsync(context);
        }
    }
}
