namespace StorageServer.Lfs;

/// <summary>
/// Source-generated log messages of the LFS hot path. The request log already has one line per
/// request, so the per-transfer details (outcome, throughput) are at Debug; failures stay louder.
/// </summary>
internal static partial class LfsLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "LFS upload {Oid} ({Size} bytes) to {Repository} by {User}: {Outcome} in {DurationMs} ms, {BytesPerSecond} B/s")]
    public static partial void UploadFinished(ILogger logger, string oid, long size, string repository, string user, string outcome, long durationMs, long bytesPerSecond);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "LFS upload {Oid} to {Repository} by {User} rejected: {Outcome} after {BytesReceived} of {Size} bytes")]
    public static partial void UploadRejected(ILogger logger, string oid, long size, string repository, string user, string outcome, long bytesReceived);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug,
        Message = "LFS download {Oid} ({Size} bytes) from {Repository} by {User}: {StatusCode} in {DurationMs} ms, {BytesPerSecond} B/s")]
    public static partial void DownloadFinished(ILogger logger, string oid, long size, string repository, string user, int statusCode, long durationMs, long bytesPerSecond);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug,
        Message = "LFS batch {Operation} of {Count} objects in {Repository} by {User}: {DurationMs} ms")]
    public static partial void BatchAnswered(ILogger logger, string operation, int count, string repository, string user, long durationMs);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "LFS request {Method} {Path} aborted by the client")]
    public static partial void RequestAborted(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "LFS request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Object {Oid} is live in the database but missing from store {Store}")]
    public static partial void ObjectMissingFromStore(ILogger logger, string oid, string store);

    public static long BytesPerSecond(long bytes, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? (long)(bytes / elapsed.TotalSeconds) : bytes;
}
