using StorageServer.Admin;
using StorageServer.Http;
using StorageServer.Observability;

namespace StorageServer.Health;

/// <summary>
/// Turns a database or object-store outage during a request into 503 Service Unavailable with
/// Retry-After, in the error format of the route (LFS JSON on LFS routes, which git-lfs shows to
/// the user and retries; <see cref="ApiError"/> elsewhere), instead of a bare 500. Nothing needs
/// restarting afterwards: Npgsql and the S3 client open fresh connections on the next request.
/// </summary>
internal sealed class DependencyOutageMiddleware(RequestDelegate next, ILogger<DependencyOutageMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && DependencyOutage.IsOutage(e, out var dependency))
        {
            logger.LogWarning(e, "{Dependency} unavailable during {Method} {Path}", dependency, context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                // Too late for a status code: aborting tells the client the response is incomplete.
                context.Abort();
                return;
            }
            context.Response.Clear();
            await new DependencyOutageResult(dependency).ExecuteAsync(context);
        }
    }
}

/// <summary>
/// The outage answer, with Retry-After; also returned by the LFS endpoint filter, which catches
/// endpoint exceptions first. 503, except on the LFS batch endpoint: git-lfs 3.3 treats any 5xx
/// there as fatal but re-batches after a 429's Retry-After (its back-pressure signal), so a push
/// or pull rides out a database restart instead of failing.
/// </summary>
public sealed class DependencyOutageResult(string dependency) : IResult
{
    public const int RetryAfterSeconds = 5;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.RequestServices.GetRequiredService<StorageMetrics>().DependencyError(dependency);
        var status = RouteKinds.Of(httpContext.Request.Path) == RouteKinds.LfsBatch ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
        return new RouteErrorResult(status, $"The {dependency} is temporarily unavailable; retry in a few seconds.", RetryAfterSeconds).ExecuteAsync(httpContext);
    }
}

public static class DependencyOutageRegistration
{
    /// <summary>Early in the pipeline, so authentication's database lookups are covered too.</summary>
    public static IApplicationBuilder UseDependencyOutageHandling(this IApplicationBuilder app) =>
        app.UseMiddleware<DependencyOutageMiddleware>();
}
