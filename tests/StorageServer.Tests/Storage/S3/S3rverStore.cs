using Amazon.S3;
using StorageServer.Storage.S3;

namespace StorageServer.Tests.Storage.S3;

/// <summary>The S3 store's options and client for a <see cref="S3rverServer"/> (types the shared library does not know).</summary>
public static class S3rverStore
{
    public static S3StoreOptions Options(this S3rverServer server, string prefix, int partSize = S3StoreOptions.MinPartSize) => new()
    {
        ServiceUrl = server.ServiceUri,
        Bucket = S3rverServer.Bucket,
        AccessKey = S3rverServer.AccessKey,
        SecretKey = S3rverServer.SecretKey,
        Prefix = prefix,
        PartSize = partSize,
    };

    public static AmazonS3Client CreateClient(this S3rverServer server) => S3ClientFactory.Create(server.Options(string.Empty));
}

/// <summary>One s3rver shared by the S3 store tests; each test class isolates itself under a random prefix.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public S3rverServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3rverServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
