using System.Net;
using Microsoft.Extensions.Options;
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
        await using var server = await S3rverProcess.StartAsync();
        using var factory = new StorageServerFactory(server.ServerSettings("server/"));
        using var client = factory.CreateClient();
        Assert.IsType<S3ObjectStore>(factory.Services.GetService(typeof(IObjectStore)));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await server.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public void Missing_keys_stop_the_server_with_errors_naming_them()
    {
        using var factory = new StorageServerFactory(new Dictionary<string, string?>
        {
            ["ObjectStore:Type"] = "S3",
            ["ObjectStore:S3:AccessKey"] = "only-half",
            ["ObjectStore:S3:PartSize"] = "1024",
        });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("ObjectStore:S3:Bucket is required", error.Message);
        Assert.Contains("ObjectStore:S3:ServiceUrl or ObjectStore:S3:Region is required", error.Message);
        Assert.Contains("ObjectStore:S3:AccessKey and ObjectStore:S3:SecretKey must be set together", error.Message);
        Assert.Contains("ObjectStore:S3:PartSize must be between", error.Message);
    }
}
