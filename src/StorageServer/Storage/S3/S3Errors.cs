using System.Net;
using Amazon.S3;

namespace StorageServer.Storage.S3;

internal static class S3Errors
{
    public static bool IsNotFound(this AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound;

    /// <summary>The server lacks the operation (s3rver: versioning, multipart listing and abort).</summary>
    public static bool IsUnsupported(this AmazonS3Exception e) =>
        e.ErrorCode is "NotImplemented" or "MethodNotAllowed" || e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed;
}
