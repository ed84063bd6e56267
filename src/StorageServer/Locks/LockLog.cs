namespace StorageServer.Locks;

/// <summary>Structured audit events of the locking API: who did what to which lock in which repository.</summary>
internal static partial class LockLog
{
    [LoggerMessage(EventId = 4101, EventName = "LockCreated", Level = LogLevel.Information,
        Message = "{User} locked {Path} in {Repository} (lock {LockId})")]
    public static partial void LockCreated(this ILogger logger, string user, string repository, string path, string lockId);

    [LoggerMessage(EventId = 4102, EventName = "LockReleased", Level = LogLevel.Information,
        Message = "{User} unlocked {Path} in {Repository} (lock {LockId})")]
    public static partial void LockReleased(this ILogger logger, string user, string repository, string path, string lockId);

    [LoggerMessage(EventId = 4103, EventName = "LockForceReleased", Level = LogLevel.Warning,
        Message = "{User} force-unlocked {Path} in {Repository} (lock {LockId}, owned by {Owner})")]
    public static partial void LockForceReleased(this ILogger logger, string user, string repository, string path, string lockId, string owner);
}
