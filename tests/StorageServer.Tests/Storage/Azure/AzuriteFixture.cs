using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Storage.Azure;

namespace StorageServer.Tests.Storage.Azure;

/// <summary>One azurite shared by the Azure store tests; each test class isolates itself under a random prefix.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public AzureBlobStoreOptions Options(string prefix, int blockSize = AzureBlobStoreOptions.MinBlockSize, bool directTransfers = false) => new()
    {
        ConnectionString = Server.ConnectionString,
        Container = AzuriteServer.Container,
        Prefix = prefix,
        BlockSize = blockSize,
        DirectTransfers = directTransfers,
    };

    public AzureBlobObjectStore Store(string prefix, int blockSize = AzureBlobStoreOptions.MinBlockSize, bool directTransfers = false, TimeProvider? clock = null) =>
        new(AzureBlobClientFactory.Create(Options(prefix, blockSize, directTransfers)), Options(prefix, blockSize, directTransfers),
            clock ?? TimeProvider.System, NullLogger<AzureBlobObjectStore>.Instance);

    /// <summary>Committed blob names under <paramref name="prefix"/> (what readers can see).</summary>
    public async Task<List<string>> BlobsAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    public BlobContainerClient Container => Server.ContainerClient();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
