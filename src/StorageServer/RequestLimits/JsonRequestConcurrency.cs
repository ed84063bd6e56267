using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StorageServer.Http;
using StorageServer.Observability;

namespace StorageServer.RequestLimits;

/// <summary>
/// At most <c>Limits:MaxConcurrentJsonRequests</c> requests with a JSON body are served at once
/// (ASP.NET Core's rate limiter with a concurrency limiter); the others queue without their
/// bodies being read. It runs after authentication, so strangers are refused before they queue.
/// A full queue is answered 429 on the LFS API (git-lfs re-batches after Retry-After) and 503
/// elsewhere, both with Retry-After.
/// </summary>
internal static class JsonRequestConcurrency
{
    private const int RetryAfterSeconds = 1;

    public static IServiceCollection AddJsonRequestConcurrency(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                CarriesJsonBody(context)
                    ? RateLimitPartition.GetConcurrencyLimiter("json-body", _ => LimiterOptions(context))
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            options.OnRejected = (rejected, _) =>
            {
                var lfs = RouteKinds.IsLfs(RouteKinds.Of(rejected.HttpContext.Request.Path));
                var status = lfs ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                return new ValueTask(new RouteErrorResult(status, "The server is busy with other requests; retry in a moment.", RetryAfterSeconds)
                    .ExecuteAsync(rejected.HttpContext));
            };
        });

    private static bool CarriesJsonBody(HttpContext context) =>
        RequestBodyConventions.RequestBodyOf(context) != RequestBodyKind.Streamed
        && (context.Request.ContentLength > 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count > 0));

    private static ConcurrencyLimiterOptions LimiterOptions(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        return new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConcurrentJsonRequests,
            QueueLimit = limits.JsonRequestQueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
    }
}
