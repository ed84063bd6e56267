using StorageServer.Configuration;

namespace StorageServer.RequestLimits;

/// <summary>Body limits on every non-transfer route and a bound on JSON bodies in flight.</summary>
public static class RequestLimitsRegistration
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RequestLimitsOptions>(RequestLimitsOptions.Section);
        services.AddJsonRequestConcurrency();
        return services;
    }

    /// <summary>After authorization, so strangers get their 401 first; before anything reads a body.</summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.UseMiddleware<RequestBodyLimitMiddleware>();

    /// <summary>After authentication and authorization: only callers allowed in wait for a slot.</summary>
    public static IApplicationBuilder UseJsonRequestConcurrency(this IApplicationBuilder app) => app.UseRateLimiter();
}
