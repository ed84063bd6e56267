namespace StorageServer.Protocol.Locks;

/// <summary>A file lock (locking/schemas in git-lfs). The id must be a JSON string.</summary>
public sealed record LfsLock(string Id, string Path, DateTimeOffset LockedAt, LockOwner? Owner);

public sealed record LockOwner(string Name);

public sealed record CreateLockRequest(string? Path, LfsRef? Ref);

public sealed record LockResponse(LfsLock Lock)
{
    /// <summary>Set on 409 when the path is already locked; the client prints it.</summary>
    public string? Message { get; init; }
}

public sealed record LockListResponse(IReadOnlyList<LfsLock> Locks)
{
    public string? NextCursor { get; init; }
}

public sealed record VerifyLocksRequest(LfsRef? Ref, string? Cursor, int? Limit);

public sealed record VerifyLocksResponse(IReadOnlyList<LfsLock> Ours, IReadOnlyList<LfsLock> Theirs)
{
    public string? NextCursor { get; init; }
}

public sealed record UnlockRequest(bool Force, LfsRef? Ref);
