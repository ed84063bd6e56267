using System.Globalization;
using System.Text.Json;
using StorageServer.Admin;
using StorageServer.Observability;
using StorageServer.Protocol;

namespace StorageServer.Http;

/// <summary>
/// An error answered before or around an endpoint (body too large, server busy, disk full,
/// dependency down), in the error format of the route it was meant for: LFS JSON
/// (<c>{"message","request_id"}</c>, <c>application/vnd.git-lfs+json</c>, which git-lfs shows the
/// user) under <c>…/info/lfs/</c>, an <see cref="ApiError"/> everywhere else.
/// </summary>
public sealed class RouteErrorResult(int statusCode, string message, int? retryAfterSeconds = null) : IResult
{
    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        if (RouteKinds.IsLfs(RouteKinds.Of(httpContext.Request.Path)))
        {
            response.ContentType = LfsMediaTypes.Json;
            await JsonSerializer.SerializeAsync(response.Body, new LfsErrorResponse(message) { RequestId = httpContext.TraceIdentifier },
                LfsJsonContext.Default.LfsErrorResponse, CancellationToken.None);
        }
        else
        {
            await response.WriteAsJsonAsync(new ApiError(message), CancellationToken.None);
        }
    }
}
