namespace StorageServer.Admin;

/// <summary>
/// Malformed or unreadable request bodies on the JSON APIs get a 400 (415 for a body not declared
/// JSON) with an <see cref="ApiError"/> saying what was wrong, instead of minimal APIs' empty ones.
/// (The LFS routes read their bodies themselves and answer in the LFS error format.)
/// </summary>
internal static class ApiBadRequests
{
    public static IServiceCollection AddApiBadRequestErrors(this IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static IApplicationBuilder UseApiBadRequestErrors(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
                if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted)
                {
                    // Minimal APIs refuse a non-JSON body to a JSON endpoint with an empty 415. Browsers
                    // send text/plain and forms cross-origin without asking: say what is expected.
                    await context.Response.WriteAsJsonAsync(new ApiError("Content-Type must be application/json."), context.RequestAborted);
                }
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = e.StatusCode;
                var detail = e.InnerException is System.Text.Json.JsonException json ? $" ({json.Message})" : string.Empty;
                await context.Response.WriteAsJsonAsync(new ApiError(e.Message + detail), context.RequestAborted);
            }
        });
}
