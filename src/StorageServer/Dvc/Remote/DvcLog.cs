namespace StorageServer.Dvc.Remote;

/// <summary>Source-generated log messages of the DVC remote (one per upload; downloads are in the request log).</summary>
internal static partial class DvcLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "DVC upload {Hash} ({Size} bytes, sha256 {Oid}) to {Repository} by {User}: {Outcome} in {DurationMs} ms")]
    public static partial void UploadFinished(ILogger logger, string hash, long size, string oid, string repository, string user, string outcome, long durationMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "DVC upload {Hash} to {Repository} by {User} refused: {Outcome} ({Reason})")]
    public static partial void UploadRefused(ILogger logger, string hash, string repository, string user, string outcome, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "DVC request {Method} {Path} aborted by the client")]
    public static partial void RequestAborted(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "DVC request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "DVC object {Hash} of {Repository} is sha256 {Oid}, live in the database but missing from store {Store}")]
    public static partial void ObjectMissingFromStore(ILogger logger, string hash, string repository, string oid, string store);
}
