using StorageServer.Auth;
using StorageServer.Lfs;

namespace StorageServer.Dvc.Remote;

/// <summary>
/// Answers of the DVC remote. DVC reads only the status (and <c>Content-Length</c>, <c>Content-Range</c>):
/// below 400 is success or "exists", anything else an error or "missing". Error bodies are one
/// line of plain text for people using curl; DVC prints only the status and its reason phrase.
/// </summary>
public static class DvcResults
{
    public const string ErasedMessage = "Object was erased from this server under a data-protection (GDPR erasure) request.";

    public const string ErasedUploadMessage = "Object was erased from this server under a data-protection (GDPR erasure) request and may not be uploaded again.";

    public static IResult Error(int statusCode, string message) => new TextResult(statusCode, message, null);

    /// <summary>
    /// 401 with a Basic challenge when credentials are missing or wrong (a token as the password,
    /// any user), 403 when they are not enough, 404 for repositories the caller cannot see.
    /// </summary>
    public static IResult Denied(AccessDenial denial) => denial switch
    {
        AccessDenial.Unauthenticated => new TextResult(StatusCodes.Status401Unauthorized, "Credentials needed: a StorageServer token as the password (dvc remote modify --local <remote> password <token>).",
            $"Basic realm=\"{LfsResults.Realm}\""),
        AccessDenial.Forbidden => Error(StatusCodes.Status403Forbidden, "Your token does not allow this operation on this repository."),
        _ => NotFound(),
    };

    public static IResult NotFound() => Error(StatusCodes.Status404NotFound, "Object does not exist.");

    /// <summary>An upload's success: 201 when this repository did not have the object, 200 when it did (DVC accepts any status below 400).</summary>
    public static IResult Stored(bool created) => new TextResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, null, null);

    private sealed class TextResult(int statusCode, string? message, string? challenge) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            if (challenge is not null)
            {
                response.Headers.WWWAuthenticate = challenge;
            }
            if (message is null)
            {
                response.ContentLength = 0;
                return Task.CompletedTask;
            }
            var body = System.Text.Encoding.UTF8.GetBytes(message + "\n");
            response.ContentType = "text/plain; charset=utf-8";
            response.ContentLength = body.Length;
            return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
