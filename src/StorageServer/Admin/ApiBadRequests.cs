namespace StorageServer.Admin;

/// <summary>
/// Malformed or unreadable request bodies on the JSON APIs get a 400 with an <see cref="ApiError"/>
/// saying what was wrong, instead of minimal APIs' default empty 400. (The LFS routes read their
/// bodies themselves and answer in the LFS error format.)
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
