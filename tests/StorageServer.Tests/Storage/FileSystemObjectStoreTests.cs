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
    public async Task Cleanup_removes_this_nodes_partial_uploads()
    {
        var leftover = Path.Combine(_root, ".tmp", "node-a", "partial");
        await File.WriteAllTextAsync(leftover, "half an object");
        Assert.Equal(1, await _store.DeleteAbandonedUploadsAsync(CancellationToken.None));
        Assert.False(File.Exists(leftover));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
