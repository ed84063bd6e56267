using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

/// <summary>
/// How an object becomes durable before it is acknowledged: every directory on its path fsynced into
/// its parent (the shards through <see cref="ShardDirectories"/>), the rename into place fsynced.
/// </summary>
public sealed partial class FileSystemObjectStore
{
    /// <summary>
    /// Renames the verified file into its shard once <paramref name="shardDurable"/> says the shard's
    /// directories are durable (a failure there fails this upload), then fsyncs the shard so the rename is too.
    /// </summary>
    private async Task<PutResult> CommitAsync(Oid oid, string tempPath, string finalPath, long size, Task shardDurable)
    {
        await shardDurable;
        var status = PutStatus.Stored;
        try
        {
            await MoveIntoShardAsync(oid, tempPath, finalPath);
        }
        catch (IOException) when (File.Exists(finalPath))
        {
            // A concurrent upload of the same bytes won the rename; ours was verified all the same,
            // and the fsync below covers the winner's rename, which it may not have finished fsyncing.
            status = PutStatus.AlreadyExists;
        }
        _flushDirectory(Path.GetDirectoryName(finalPath)!);
        return new PutResult(status, size);
    }

    /// <summary>
    /// A shard known durable can still be gone: removed by hand under the running store. Rather than
    /// fail every upload into it until a restart, its directories are made again, durably, and the
    /// rename is tried once more.
    /// </summary>
    private async Task MoveIntoShardAsync(Oid oid, string tempPath, string finalPath)
    {
        try
        {
            File.Move(tempPath, finalPath, overwrite: false);
        }
        catch (DirectoryNotFoundException) when (File.Exists(tempPath))
        {
            _shards.Forget(oid);
            await _shards.EnsureDurableAsync(oid);
            File.Move(tempPath, finalPath, overwrite: false);
        }
    }

    /// <summary>
    /// An object already in place is acknowledged only as durable as one this upload stored: the upload
    /// that renamed it may still be fsyncing its shard, or an earlier run may have died before doing so.
    /// </summary>
    private async Task<PutResult> AcknowledgeExistingAsync(Oid oid, string finalPath, PutResult existing)
    {
        await _shards.EnsureDurableAsync(oid);
        _flushDirectory(Path.GetDirectoryName(finalPath)!);
        return existing;
    }

    /// <summary>
    /// Creates the store's root and its missing ancestors, each fsynced into its parent, the root even
    /// when it exists: an earlier run may have made it and died before its fsync.
    /// </summary>
    private void CreateDurably(string directory)
    {
        var parent = Path.GetDirectoryName(directory);
        if (parent is not null && !Directory.Exists(parent))
        {
            CreateDurably(parent);
        }
        Directory.CreateDirectory(directory);
        if (parent is not null)
        {
            _flushDirectory(parent);
        }
    }
}
