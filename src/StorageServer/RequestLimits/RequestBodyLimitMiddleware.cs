using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Http;

namespace StorageServer.RequestLimits;

/// <summary>
/// Gives every non-transfer request its body limit before anything reads it, after the admin
/// policy has turned strangers away (401/403 first): a declared Content-Length over the limit is
/// answered 413 at once (nothing read), and Kestrel stops a chunked body at the limit (the
/// endpoint's reader turns that into 413). A body nobody reads is then never drained beyond the
/// limit either: Kestrel closes the connection instead. The LFS JSON routes decide who may call
/// them inside the endpoint, so they check the declared length themselves, after credentials.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> limits, IOptions<LfsOptions> lfs)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var kind = RequestBodyConventions.RequestBodyOf(context);
        if (kind == RequestBodyKind.Streamed)
        {
            await next(context);
            return;
        }
        var limit = kind == RequestBodyKind.LfsJson ? lfs.Value.MaxJsonBodyBytes : limits.Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
        if (kind == RequestBodyKind.Json && context.Request.ContentLength > limit)
        {
            await new RouteErrorResult(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than this route's limit of {limit} bytes.").ExecuteAsync(context);
            return;
        }
        context.Request.Body = new LimitedBodyStream(context.Request.Body, limit);
        await next(context);
    }
}
