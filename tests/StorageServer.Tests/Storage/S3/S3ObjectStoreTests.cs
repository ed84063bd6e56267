using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Storage;
using StorageServer.Storage.S3;
using Oid = StorageServer.Protocol.Oid;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Storage.S3;

/// <summary>The store contract against a real s3rver, isolated under a random key prefix per test.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ObjectStoreTests : ObjectStoreContractTests, IDisposable
{
    private const int PartSize = S3StoreOptions.MinPartSize;

    private readonly S3rverServer _server;
    private readonly AmazonS3Client _client;
    private readonly RecordingS3Client _recorder;
    private readonly string _prefix = $"run-{Guid.NewGuid():N}/";
    private readonly S3ObjectStore _store;

    public S3ObjectStoreTests(S3rverFixture fixture)
    {
        _server = fixture.Server;
        _client = _server.CreateClient();
        (var recording, _recorder) = RecordingS3Client.Wrap(_client);
        _store = NewStore(recording, "node-a", TimeProvider.System);
    }

    protected override IObjectStore Store => _store;

    protected override async Task AssertNothingStoredAsync()
    {
        Assert.Empty(await KeysAsync(_prefix));
        Assert.Empty(_server.PendingUploads(_prefix));
    }

    [Fact]
    public async Task A_multipart_object_round_trips_and_ranged_reads_work()
    {
        var (oid, bytes) = Blob(PartSize * 7 / 2, seed: 3);
        var result = await _store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(PutStatus.Stored, result.Status);
        Assert.Equal(4, _recorder.Sent<UploadPartRequest>().Count);
        Assert.Single(_recorder.Sent<CompleteMultipartUploadRequest>());
        Assert.Equal([$"{_prefix}objects/{oid.ShardedPath('/')}"], await KeysAsync(_prefix)); // temp key gone
        Assert.Equal(bytes, await ReadAllAsync(_store, oid, 0));
        Assert.Equal(bytes.AsSpan(PartSize + 12345).ToArray(), await ReadAllAsync(_store, oid, PartSize + 12345));
        Assert.Empty(await ReadAllAsync(_store, oid, bytes.Length));
    }

    [Fact]
    public async Task A_body_of_exactly_one_part_is_a_single_put()
    {
        var (oid, bytes) = Blob(PartSize, seed: 4);
        Assert.Equal(PutStatus.Stored, (await _store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None)).Status);
        Assert.Empty(_recorder.Sent<InitiateMultipartUploadRequest>());
        Assert.Equal(bytes, await ReadAllAsync(_store, oid, 0));
    }

    [Fact]
    public async Task A_hash_mismatch_mid_multipart_aborts_and_leaves_nothing()
    {
        var (oid, _) = Blob(PartSize * 7 / 2, seed: 5);
        var (_, other) = Blob(PartSize * 7 / 2, seed: 6);
        var result = await _store.PutAsync(oid, other.Length, new MemoryStream(other), CancellationToken.None);

        Assert.Equal(PutStatus.HashMismatch, result.Status);
        AssertEveryMultipartUploadAborted();
        Assert.Empty(_recorder.Sent<CompleteMultipartUploadRequest>());
        Assert.Null(await _store.GetInfoAsync(oid, CancellationToken.None));
        Assert.Empty(await KeysAsync(_prefix));
    }

    [Fact]
    public async Task An_oversized_body_stops_one_byte_past_the_declared_size_mid_multipart()
    {
        var (oid, bytes) = Blob(PartSize * 3, seed: 7);
        var declared = PartSize * 2 + 100;
        var result = await _store.PutAsync(oid, declared, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(new PutResult(PutStatus.SizeMismatch, declared + 1), result);
        AssertEveryMultipartUploadAborted();
        Assert.Empty(await KeysAsync(_prefix));
    }

    [Fact]
    public async Task A_connection_broken_mid_multipart_aborts_the_upload()
    {
        var (oid, bytes) = Blob(PartSize * 7 / 2, seed: 8);
        var failing = new FailingStream(bytes, failAfter: PartSize * 5 / 2);
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync(oid, bytes.Length, failing, CancellationToken.None));
        AssertEveryMultipartUploadAborted();
        Assert.Empty(await KeysAsync(_prefix));
    }

    [Fact]
    public async Task Cancellation_mid_multipart_aborts_the_upload()
    {
        var (oid, bytes) = Blob(PartSize * 7 / 2, seed: 9);
        using var cts = new CancellationTokenSource();
        var body = new CancellingStream(bytes, cancelAt: PartSize * 2, cts);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.PutAsync(oid, bytes.Length, body, cts.Token));
        AssertEveryMultipartUploadAborted();
        Assert.Empty(await KeysAsync(_prefix));
    }

    [Fact]
    public async Task Cleanup_removes_this_nodes_stale_temporary_keys_only()
    {
        await PutRawAsync($"{_prefix}tmp/node-a/{Oid.Empty}.stale");
        await PutRawAsync($"{_prefix}tmp/node-b/{Oid.Empty}.other-node");
        var initiated = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = S3rverServer.Bucket, Key = $"{_prefix}tmp/node-a/{Oid.Empty}.multipart" });

        // A store started before the leftovers were written must not take them for its own stale ones.
        var earlier = NewStore(_client, "node-a", new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal(0, await earlier.DeleteAbandonedUploadsAsync(CancellationToken.None));

        var later = NewStore(_client, "node-a", new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1)));
        var removed = await later.DeleteAbandonedUploadsAsync(CancellationToken.None);

        Assert.Equal([$"{_prefix}tmp/node-b/{Oid.Empty}.other-node"], await KeysAsync(_prefix));
        // s3rver cannot list multipart uploads (NotImplemented), so only the temporary key counts here;
        // against AWS S3 or MinIO the stale upload is aborted too and removed is 2.
        Assert.Equal(1, removed);
        Assert.NotNull(initiated.UploadId);
    }

    [Fact]
    public async Task Delete_of_an_absent_object_on_a_server_without_versioning_returns_false()
    {
        Assert.False(await _store.DeleteAsync(Oid.Empty, CancellationToken.None));
        Assert.False(await _store.DeleteAsync(Oid.Empty, CancellationToken.None)); // the NotImplemented answer is remembered
        Assert.Single(_recorder.Sent<ListVersionsRequest>());
    }

    /// <summary>
    /// Every multipart upload the store started was aborted. s3rver answers AbortMultipartUpload with
    /// 405 MethodNotAllowed and keeps the parts, so its pending uploads are listed from its folders and
    /// each must be one the store asked to abort; against AWS S3 or MinIO the list is empty.
    /// </summary>
    private void AssertEveryMultipartUploadAborted()
    {
        var initiated = _recorder.Sent<InitiateMultipartUploadRequest>();
        Assert.NotEmpty(initiated);
        var aborted = _recorder.Sent<AbortMultipartUploadRequest>();
        Assert.Equal(initiated.Count, aborted.Count);
        Assert.All(aborted, a => Assert.StartsWith($"{_prefix}tmp/node-a/", a.Key));
        var pending = _server.PendingUploads(_prefix);
        Assert.Equal(initiated.Count, pending.Count);
        Assert.Equal(pending.Select(p => (p.Key, p.UploadId)).Order(), aborted.Select(a => (a.Key, a.UploadId)).Order());
    }

    private S3ObjectStore NewStore(IAmazonS3 client, string node, TimeProvider clock) =>
        new(client, _server.Options(_prefix, PartSize), node, clock, NullLogger<S3ObjectStore>.Instance);

    private async Task PutRawAsync(string key) =>
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = S3rverServer.Bucket, Key = key, ContentBody = "leftover" });

    private async Task<List<string>> KeysAsync(string prefix)
    {
        var response = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverServer.Bucket, Prefix = prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A body whose reader cancels the upload's token once <paramref name="cancelAt"/> bytes were read.</summary>
    private sealed class CancellingStream(byte[] data, int cancelAt, CancellationTokenSource cts) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAt)
            {
                cts.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }
            return base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Math.Max(1, cancelAt - Position))], cancellationToken);
        }
    }
}
