using Microsoft.AspNetCore.Http.Features;

namespace StorageServer.WebConsole.Hosting;

/// <summary>
/// What every console response carries: a strict content security policy (only this server's own
/// stylesheet and script, no inline script, no framing, forms post only here), no caching of
/// pages that show admin data, no referrer; and a small request body limit, since console forms
/// are a few fields.
/// </summary>
internal static class ConsoleResponseHeaders
{
    public const long MaxFormBytes = 64 * 1024;

    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseConsoleResponseHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/" + ConsoleRoutePrefix.Prefix))
            {
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = MaxFormBytes;
                }
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "no-referrer";
                    headers["Cross-Origin-Opener-Policy"] = "same-origin";
                    if (!context.Request.Path.StartsWithSegments("/" + ConsoleRoutePrefix.Prefix + "/assets"))
                    {
                        headers.CacheControl = "no-store";
                    }
                    return Task.CompletedTask;
                });
            }
            await next(context);
        });
}
