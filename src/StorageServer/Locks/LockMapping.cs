using StorageServer.Data.Entities;
using StorageServer.Protocol.Locks;

namespace StorageServer.Locks;

/// <summary>Stored locks to their wire form.</summary>
public static class LockMapping
{
    public static LfsLock ToLfs(this FileLock fileLock) =>
        new(fileLock.Id, fileLock.Path, fileLock.LockedAt.ToUniversalTime(), new LockOwner(fileLock.Owner));

    public static List<LfsLock> ToLfs(this IEnumerable<FileLock> locks) => locks.Select(ToLfs).ToList();
}
