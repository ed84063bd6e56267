using StorageServer.Http;

namespace StorageServer.DiskSpace;

/// <summary>
/// 507 Insufficient Storage with Retry-After, in the route's error format: git-lfs shows the
/// message ("Insufficient server storage") and retries the upload later; reads are unaffected.
/// </summary>
public static class InsufficientStorage
{
    public const string Message = "The server's disk is full, so it cannot store this now. Downloads, clones and fetches still work; "
        + "retry the upload later (an operator has been told by the readiness check).";

    public static IResult Result(DiskSpaceGuard guard) => new RouteErrorResult(StatusCodes.Status507InsufficientStorage, Message, guard.RetryAfterSeconds);
}
