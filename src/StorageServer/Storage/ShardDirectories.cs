using System.Collections.Concurrent;
using System.Globalization;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

/// <summary>
/// Makes the <c>aa</c> and <c>aa/bb</c> directories of a filesystem store durable (created if missing,
/// then fsynced into their parent) before any object is renamed into them. A directory that exists is
/// not thereby durable: another upload may have just made it and still be fsyncing its parent, or an
/// earlier run may have died, or its fsync failed, between the two. So a directory counts as durable only
/// once this process saw its parent's fsync succeed; until then every upload into it awaits the one
/// creation in flight, and a failed creation fails those uploads and is tried afresh by the next one.
/// </summary>
internal sealed class ShardDirectories(string root, Action<string> flushDirectory)
{
    private const int Shards = 256 * 256;
    private const int TopLevels = 256;

    /// <summary>One bit per directory known durable: the <c>aa/bb</c> shards, then the <c>aa</c> directories (8 KiB).</summary>
    private readonly long[] _durable = new long[(Shards + TopLevels) / 64];

    /// <summary>Creations in flight, by the same index; each is removed as it ends, durable or failed.</summary>
    private readonly ConcurrentDictionary<int, Task> _creating = new();

    /// <summary>Completes once the directories of <paramref name="oid"/>'s shard are durable.</summary>
    public Task EnsureDurableAsync(Oid oid)
    {
        var shardIndex = ShardIndex(oid);
        return IsDurable(shardIndex) ? Task.CompletedTask : EnsureShard(oid, shardIndex);
    }

    /// <summary>
    /// Forgets that <paramref name="oid"/>'s shard and its top-level directory were durable, because one
    /// of them is gone (removed by hand under the running store): the next
    /// <see cref="EnsureDurableAsync"/> makes both again, each fsynced into its parent.
    /// </summary>
    public void Forget(Oid oid)
    {
        var shardIndex = ShardIndex(oid);
        Clear(shardIndex);
        Clear(Shards + (shardIndex >> 8));
    }

    private static int ShardIndex(Oid oid) =>
        int.Parse(oid.Value.AsSpan(0, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private Task EnsureShard(Oid oid, int shardIndex)
    {
        var topLevel = Path.Combine(root, oid.Value[..2]);
        return Ensure(shardIndex, Path.Combine(topLevel, oid.Value[2..4]),
            () => Ensure(Shards + (shardIndex >> 8), topLevel, () => Task.CompletedTask));
    }

    private Task Ensure(int index, string directory, Func<Task> parentDurable)
    {
        if (IsDurable(index))
        {
            return Task.CompletedTask;
        }
        var creation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = _creating.GetOrAdd(index, creation.Task);
        if (inFlight != creation.Task)
        {
            return inFlight;
        }
        _ = CreateAsync(index, directory, parentDurable, creation);
        return creation.Task;
    }

    /// <summary>
    /// Not cancellable: other uploads may be waiting on this creation. Its entry is removed before it
    /// completes, so a failure is never handed to a later upload, which starts a creation of its own.
    /// </summary>
    private async Task CreateAsync(int index, string directory, Func<Task> parentDurable, TaskCompletionSource creation)
    {
        try
        {
            await parentDurable();
            await Task.Run(() =>
            {
                Directory.CreateDirectory(directory);
                flushDirectory(Path.GetDirectoryName(directory)!);
            }, CancellationToken.None);
            Interlocked.Or(ref _durable[index / 64], 1L << (index % 64));
            _creating.TryRemove(new KeyValuePair<int, Task>(index, creation.Task));
            creation.SetResult();
        }
        catch (Exception e)
        {
            _creating.TryRemove(new KeyValuePair<int, Task>(index, creation.Task));
            creation.SetException(e);
        }
    }

    private void Clear(int index) => Interlocked.And(ref _durable[index / 64], ~(1L << (index % 64)));

    private bool IsDurable(int index) => (Volatile.Read(ref _durable[index / 64]) & (1L << (index % 64))) != 0;
}
