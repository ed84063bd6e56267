using System.Security.Cryptography;
using System.Text;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Storage;

/// <summary>
/// An object is acknowledged only once every directory on its path is durable. Seeing a shard
/// directory exist is not enough: another upload may have made it and still be fsyncing it into its
/// parent. The directory fsync is <see cref="HeldDirectoryFlush"/> here, so that window can be held open.
/// </summary>
public sealed class ShardDirectoryDurabilityTests : IDisposable
{
    /// <summary>How long an upload that must wait is watched not to complete.</summary>
    private static readonly TimeSpan Watched = TimeSpan.FromMilliseconds(500);

    private readonly string _root = Directory.CreateTempSubdirectory("fs-shards-").FullName;
    private readonly HeldDirectoryFlush _flush = new();

    [Fact]
    public async Task A_second_upload_into_a_new_shard_waits_for_the_first_ones_flush_of_it()
    {
        var (first, second) = TwoBlobs(sameShard: true);
        var store = NewStore();

        await AssertWaitsForHeldFlushAsync(store, Path.Combine(_root, first.Oid.Value[..2]), first, () => Put(store, second),
            "the second upload was acknowledged before its new shard was flushed into its parent");
    }

    [Fact]
    public async Task An_upload_into_another_shard_of_a_new_top_level_directory_waits_for_its_flush()
    {
        var (first, second) = TwoBlobs(sameShard: false);
        var store = NewStore();

        await AssertWaitsForHeldFlushAsync(store, _root, first, () => Put(store, second),
            "the second upload was acknowledged before its new top-level directory was flushed into the root");
    }

    [Fact]
    public async Task A_staged_upload_published_into_a_new_shard_waits_for_its_flush()
    {
        var (first, second) = TwoBlobs(sameShard: true);
        var store = NewStore();
        var staged = store.NewStagingPath();
        await File.WriteAllBytesAsync(staged, second.Bytes);

        await AssertWaitsForHeldFlushAsync(store, Path.Combine(_root, first.Oid.Value[..2]), first,
            () => store.PublishStagedAsync(second.Oid, second.Bytes.Length, staged, CancellationToken.None),
            "the staged object was published before its new shard was flushed into its parent");
    }

    [Fact]
    public async Task A_failed_flush_fails_every_upload_waiting_on_it_and_the_next_upload_flushes_again()
    {
        var (first, second) = TwoBlobs(sameShard: true);
        var store = NewStore();
        var shardParent = Path.Combine(_root, first.Oid.Value[..2]);
        _flush.Hold(shardParent, thenFail: true);

        var firstPut = Put(store, first);
        await _flush.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        var secondBody = new ReadWatchedStream(second.Bytes);
        var secondPut = Put(store, second, secondBody);
        await secondBody.ReadBegun.WaitAsync(TimeSpan.FromSeconds(10));
        _flush.Release();

        await Assert.ThrowsAsync<IOException>(() => firstPut);
        await Assert.ThrowsAsync<IOException>(() => secondPut);
        Assert.Equal(PutStatus.Stored, (await Put(store, second)).Status);
        Assert.Equal(2, _flush.Count(shardParent));
    }

    [Fact]
    public async Task A_shard_left_by_an_earlier_run_is_flushed_into_its_parent_once_before_it_is_trusted()
    {
        var (first, second) = TwoBlobs(sameShard: true);
        var shardParent = Path.Combine(_root, first.Oid.Value[..2]);
        Directory.CreateDirectory(Path.Combine(shardParent, first.Oid.Value[2..4]));
        var store = NewStore();

        await Put(store, first);
        await Put(store, second);

        Assert.Equal(1, _flush.Count(shardParent));
        Assert.Equal(1, _flush.Count(_root));
    }

    [Fact]
    public async Task A_shard_removed_under_the_running_store_is_made_again_durably_by_the_next_upload_into_it()
    {
        var (first, second) = TwoBlobs(sameShard: true);
        var shardParent = Path.Combine(_root, first.Oid.Value[..2]);
        var store = NewStore();
        await Put(store, first);
        Directory.Delete(shardParent, recursive: true);

        Assert.Equal(PutStatus.Stored, (await Put(store, second)).Status);

        Assert.True(File.Exists(Path.Combine(shardParent, second.Oid.Value[2..4], second.Oid.Value)), "the object is not in its shard");
        Assert.Equal(2, _flush.Count(shardParent));
        Assert.Equal(2, _flush.Count(_root));
    }

    [Fact]
    public void A_new_store_root_is_flushed_into_each_parent_it_was_made_in()
    {
        var root = Path.Combine(_root, "data", "objects");

        _ = new FileSystemObjectStore(root, "node-a", _flush.Flush);

        Assert.Equal(1, _flush.Count(_root));
        Assert.Equal(1, _flush.Count(Path.Combine(_root, "data")));
    }

    public void Dispose()
    {
        _flush.Release();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>
    /// Holds the flush of <paramref name="held"/> that storing <paramref name="first"/> makes, and asserts
    /// that <paramref name="second"/> is not acknowledged until it is released; then that both are stored.
    /// </summary>
    private async Task AssertWaitsForHeldFlushAsync(FileSystemObjectStore store, string held, Blob first, Func<Task<PutResult>> second, string acknowledgedTooEarly)
    {
        _flush.Hold(held);
        var firstPut = Put(store, first);
        await _flush.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        var secondPut = second();

        Assert.False(await CompletesWithinAsync(secondPut), acknowledgedTooEarly);
        _flush.Release();
        Assert.Equal(PutStatus.Stored, (await firstPut).Status);
        Assert.Equal(PutStatus.Stored, (await secondPut).Status);
    }

    private FileSystemObjectStore NewStore() => new(_root, "node-a", _flush.Flush);

    private static Task<PutResult> Put(FileSystemObjectStore store, Blob blob, Stream? body = null) =>
        Task.Run(() => store.PutAsync(blob.Oid, blob.Bytes.Length, body ?? new MemoryStream(blob.Bytes), CancellationToken.None));

    private static async Task<bool> CompletesWithinAsync(Task upload) =>
        await Task.WhenAny(upload, Task.Delay(Watched)) == upload;

    /// <summary>Two small blobs in the same <c>aa/bb</c> shard, or in two shards of the same <c>aa</c>.</summary>
    private static (Blob First, Blob Second) TwoBlobs(bool sameShard)
    {
        var seen = new Dictionary<string, Blob>();
        for (var i = 0; ; i++)
        {
            var bytes = Encoding.UTF8.GetBytes($"blob {i}");
            var blob = new Blob(Oid.FromHash(SHA256.HashData(bytes)), bytes);
            var key = blob.Oid.Value[..(sameShard ? 4 : 2)];
            if (seen.TryGetValue(key, out var earlier) && (sameShard || earlier.Oid.Value[..4] != blob.Oid.Value[..4]))
            {
                return (earlier, blob);
            }
            seen[key] = blob;
        }
    }

    private sealed record Blob(Oid Oid, byte[] Bytes);

    /// <summary>A body that says when its upload began reading it: past its look at the shard.</summary>
    private sealed class ReadWatchedStream(byte[] bytes) : MemoryStream(bytes)
    {
        private readonly TaskCompletionSource _read = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ReadBegun => _read.Task;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _read.TrySetResult();
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
