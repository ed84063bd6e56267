using System.Text.Json.Serialization.Metadata;
using StorageServer.Auth;
using StorageServer.Protocol;

namespace StorageServer.Lfs;

/// <summary>
/// Responses of the Git LFS API. Every body, errors included, goes out as
/// <c>application/vnd.git-lfs+json</c>: git-lfs rejects any other content type.
/// </summary>
public static class LfsResults
{
    /// <summary>
    /// Per-object 410 for a download of an object retention removed from this repository: its bytes
    /// were deleted, or its claim was released while other repositories still hold them.
    /// </summary>
    public const string RemovedMessage = "Object was removed from this repository by a retention policy.";

    /// <summary>Per-object 410 for a download of an object erased by a GDPR request.</summary>
    public const string ErasedMessage = "Object was erased from this server under a data-protection (GDPR erasure) request.";

    /// <summary>Per-object 410 for an upload of an erased object: a stale clone cannot bring it back.</summary>
    public const string ErasedUploadMessage = "Object was erased from this server under a data-protection (GDPR erasure) request and may not be uploaded again.";

    public const string Realm = "StorageServer";

    public static IResult Json<T>(T body, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK) =>
        new LfsJsonResult<T>(body, typeInfo, statusCode);

    /// <summary>A success without content, still typed as LFS JSON: <c>{}</c> (PUT and verify).</summary>
    public static IResult Ok() => new LfsEmptyResult();

    /// <summary>A whole-request error: <c>{"message": …, "request_id": …}</c>.</summary>
    public static IResult Error(int statusCode, string message) => new LfsErrorResult(statusCode, message, retryAfterSeconds: null);

    /// <summary>429 always carries Retry-After: git-lfs 3.3 crashes on a transfer 429 without it.</summary>
    public static IResult TooManyRequests(int retryAfterSeconds, string message) =>
        new LfsErrorResult(StatusCodes.Status429TooManyRequests, message, retryAfterSeconds);

    /// <summary>
    /// 401 with <c>LFS-Authenticate</c> when credentials are missing or wrong (the client then
    /// asks its credential helper), 403 when they are valid but not enough (the client must not
    /// discard them), 404 for repositories the caller cannot see.
    /// </summary>
    public static IResult Denied(AccessDenial denial) => denial switch
    {
        AccessDenial.Unauthenticated => new LfsErrorResult(StatusCodes.Status401Unauthorized, "Credentials needed: use a StorageServer token as the password.", null),
        AccessDenial.Forbidden => Error(StatusCodes.Status403Forbidden, "Your token does not allow this operation on this repository."),
        _ => Error(StatusCodes.Status404NotFound, "Repository or object not found."),
    };

    private sealed class LfsJsonResult<T>(T body, JsonTypeInfo<T> typeInfo, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = LfsMediaTypes.Json;
            return System.Text.Json.JsonSerializer.SerializeAsync(httpContext.Response.Body, body, typeInfo, httpContext.RequestAborted);
        }
    }

    private sealed class LfsEmptyResult : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = LfsMediaTypes.Json;
            httpContext.Response.ContentLength = 2;
            return httpContext.Response.Body.WriteAsync("{}"u8.ToArray(), httpContext.RequestAborted).AsTask();
        }
    }

    private sealed class LfsErrorResult(int statusCode, string message, int? retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (statusCode == StatusCodes.Status401Unauthorized)
            {
                httpContext.Response.Headers["LFS-Authenticate"] = $"Basic realm=\"{Realm}\"";
            }
            if (retryAfterSeconds is { } seconds)
            {
                httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            var body = new LfsErrorResponse(message) { RequestId = httpContext.TraceIdentifier };
            return new LfsJsonResult<LfsErrorResponse>(body, LfsJsonContext.Default.LfsErrorResponse, statusCode).ExecuteAsync(httpContext);
        }
    }
}
