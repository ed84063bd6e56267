using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Storage;
using StorageServer.Storage.S3;
using Xunit.Abstractions;

namespace StorageServer.Tests.Storage.S3;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class S3MemoryCollection
{
    public const string Name = "s3-memory (runs alone: it measures process-wide allocations)";
}

/// <summary>Uploads far more than fits the store's buffers and checks that memory does not follow the object size.</summary>
[Collection(S3MemoryCollection.Name)]
public sealed class S3MemoryTests(ITestOutputHelper output)
{
    private const long ObjectSize = 200L * 1024 * 1024;
    private const int PartSize = 8 * 1024 * 1024;

    [Fact]
    public async Task A_200_MiB_upload_allocates_far_less_than_the_object()
    {
        await using var server = await S3rverServer.StartAsync();
        using var client = server.CreateClient();
        var store = new S3ObjectStore(client, server.Options("memory/", PartSize), "node-a", TimeProvider.System, NullLogger<S3ObjectStore>.Instance);
        var oid = GeneratedStream.HashOf(ObjectSize, seed: 42);

        // Warm up the SDK (client, signer, connection) so one-off setup is not counted.
        await store.PutAsync(StorageServer.Protocol.Oid.Empty, 0, new MemoryStream(), CancellationToken.None);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await using var body = new GeneratedStream(ObjectSize, seed: 42);
        var result = await store.PutAsync(oid, ObjectSize, body, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"allocated {allocated / (1024 * 1024)} MiB uploading {ObjectSize / (1024 * 1024)} MiB");
        Assert.Equal(PutStatus.Stored, result.Status);
        Assert.Equal(new ObjectInfo(oid, ObjectSize), await store.GetInfoAsync(oid, CancellationToken.None));
        // A store buffering the object would allocate at least its size (a MemoryStream about twice).
        Assert.True(allocated < ObjectSize / 4, $"allocated {allocated / (1024 * 1024)} MiB for a {ObjectSize / (1024 * 1024)} MiB object");
    }
}
