using System.Net;
using StorageServer.Storage;
using StorageServer.Storage.S3;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Storage.S3;

/// <summary>The whole server configured with <c>ObjectStore:Type=S3</c>.</summary>
public sealed class S3ServerTests
{
    [Fact]
    public async Task Healthz_is_200_with_s3rver_up_and_503_when_it_stops()
    {
        await using var server = await S3rverServer.StartAsync();
        using var factory = new StorageServerFactory(server.ServerSettings("server/"));
        using var client = factory.CreateClient();
        Assert.IsType<S3ObjectStore>(factory.Services.GetService(typeof(IObjectStore)));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await server.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
    }
}
