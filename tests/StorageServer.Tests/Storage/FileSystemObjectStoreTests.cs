using StorageServer.Storage;

namespace StorageServer.Tests.Storage;

public sealed class FileSystemObjectStoreTests : ObjectStoreContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fs-store-").FullName;
    private readonly FileSystemObjectStore _store;

    public FileSystemObjectStoreTests() => _store = new FileSystemObjectStore(_root, "node-a");

    protected override IObjectStore Store => _store;

    protected override Task AssertNothingStoredAsync()
    {
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Stores_under_the_sharded_path()
    {
        var (oid, bytes) = Blob(100);
        await _store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        var path = Path.Combine(_root, oid.ShardedPath(Path.DirectorySeparatorChar));
        Assert.True(File.Exists(path));
        Assert.Equal(path, _store.GetLocalPath(oid));
    }

    [Fact]
    public async Task A_new_shard_directory_is_made_while_the_body_streams_in()
    {
        var (oid, bytes) = Blob(100);
        var shard = Path.GetDirectoryName(Path.Combine(_root, oid.ShardedPath(Path.DirectorySeparatorChar)))!;
        var body = new WaitingForDirectoryStream(bytes, shard);

        var result = await _store.PutAsync(oid, bytes.Length, body, CancellationToken.None);

        Assert.Equal(PutStatus.Stored, result.Status);
        Assert.True(body.SawDirectory, "the shard directory was made only after the body was read");
    }

    [Fact]
    public async Task Cleanup_removes_this_nodes_partial_uploads()
    {
        var leftover = Path.Combine(_root, ".tmp", "node-a", "partial");
        await File.WriteAllTextAsync(leftover, "half an object");
        Assert.Equal(1, await _store.DeleteAbandonedUploadsAsync(CancellationToken.None));
        Assert.False(File.Exists(leftover));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A body whose first read waits (up to 10 s) for <paramref name="directory"/> to exist.</summary>
    private sealed class WaitingForDirectoryStream(byte[] bytes, string directory) : MemoryStream(bytes)
    {
        public bool SawDirectory { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position == 0)
            {
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (!Directory.Exists(directory) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10, cancellationToken);
                }
                SawDirectory = Directory.Exists(directory);
            }
            return await base.ReadAsync(buffer, cancellationToken);
        }
    }
}
