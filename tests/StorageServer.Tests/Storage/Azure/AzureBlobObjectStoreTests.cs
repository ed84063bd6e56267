using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;
using StorageServer.Storage;
using StorageServer.Storage.Azure;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Storage.Azure;

/// <summary>The store contract against a real azurite, isolated under a random blob prefix per test.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobObjectStoreTests(AzuriteFixture azurite) : ObjectStoreContractTests
{
    private const int BlockSize = AzureBlobStoreOptions.MinBlockSize;

    private readonly string _prefix = $"run-{Guid.NewGuid():N}/";
    private AzureBlobObjectStore? _store;

    protected override IObjectStore Store => _store ??= azurite.Store(_prefix, BlockSize);

    protected override async Task AssertNothingStoredAsync() => Assert.Empty(await azurite.BlobsAsync(_prefix));

    private BlockBlobClient FinalBlob(Oid oid) => azurite.Container.GetBlockBlobClient($"{_prefix}objects/{oid.ShardedPath('/')}");

    [Fact]
    public async Task A_multi_block_object_commits_its_blocks_and_ranged_reads_work()
    {
        var (oid, bytes) = Blob(BlockSize * 7 / 2, seed: 3);
        Assert.Equal(PutStatus.Stored, (await Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None)).Status);

        var blocks = (await FinalBlob(oid).GetBlockListAsync(BlockListTypes.All)).Value;
        Assert.Equal(4, blocks.CommittedBlocks.Count());
        Assert.Empty(blocks.UncommittedBlocks);
        Assert.Equal([$"{_prefix}objects/{oid.ShardedPath('/')}"], await azurite.BlobsAsync(_prefix));
        Assert.Equal(bytes.AsSpan(BlockSize + 12345).ToArray(), await ReadAllAsync(Store, oid, BlockSize + 12345));
        Assert.Empty(await ReadAllAsync(Store, oid, bytes.Length));
    }

    [Fact]
    public async Task A_hash_mismatch_after_staged_blocks_commits_nothing_and_the_blocks_stay_invisible()
    {
        var (oid, _) = Blob(BlockSize * 7 / 2, seed: 5);
        var (_, other) = Blob(BlockSize * 7 / 2, seed: 6);
        var result = await Store.PutAsync(oid, other.Length, new MemoryStream(other), CancellationToken.None);

        Assert.Equal(PutStatus.HashMismatch, result.Status);
        // Blocks reached the service (staged while the body streamed: the first two at least, the
        // third unless the mismatch cancelled it in flight) but were never committed.
        var staged = (await FinalBlob(oid).GetBlockListAsync(BlockListTypes.All)).Value;
        Assert.InRange(staged.UncommittedBlocks.Count(), 2, 3);
        Assert.Empty(staged.CommittedBlocks);
        Assert.False(await FinalBlob(oid).ExistsAsync());
        Assert.Null(await Store.OpenReadAsync(oid, 0, CancellationToken.None));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Concurrent_uploads_of_one_object_both_succeed_and_it_is_committed_once()
    {
        var (oid, bytes) = Blob(BlockSize * 5 / 2, seed: 7);
        var results = await Task.WhenAll(
            Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None),
            Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Status.ToString()));
        Assert.Equal(bytes, await ReadAllAsync(Store, oid, 0));
        Assert.Equal(3, (await FinalBlob(oid).GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.Count());
    }

    [Fact]
    public async Task Delete_removes_the_blob_with_its_snapshots()
    {
        var (oid, bytes) = Blob(1000, seed: 8);
        await Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        await FinalBlob(oid).CreateSnapshotAsync();

        Assert.True(await Store.DeleteAsync(oid, CancellationToken.None));

        var left = new List<string>();
        await foreach (var item in azurite.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = _prefix, States = BlobStates.Snapshots }))
        {
            left.Add($"{item.Name}@{item.Snapshot}");
        }
        Assert.Empty(left);
    }

    [Fact]
    public async Task Cleanup_removes_only_staged_uploads_older_than_a_day()
    {
        var staged = azurite.Container.GetBlobClient($"{_prefix}staging/{Oid.Empty}.{Guid.NewGuid():N}");
        await staged.UploadAsync(BinaryData.FromString("abandoned"));
        var (oid, bytes) = Blob(10, seed: 9);
        await Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(0, await azurite.Store(_prefix).DeleteAbandonedUploadsAsync(CancellationToken.None));
        var tomorrow = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(1.5));
        Assert.Equal(1, await azurite.Store(_prefix, clock: tomorrow).DeleteAbandonedUploadsAsync(CancellationToken.None));

        Assert.Equal([$"{_prefix}objects/{oid.ShardedPath('/')}"], await azurite.BlobsAsync(_prefix));
    }
}
