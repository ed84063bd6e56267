using StorageServer.EndToEnd.Tests.Support;
using StorageServer.TestSupport;
using static StorageServer.EndToEnd.Tests.Dvc.DvcRemoteReplayTests;
using static StorageServer.EndToEnd.Tests.Dvc.DvcWireClient;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// The notes' "500 on GET": DVC retries a GET five times at once on any 5xx and then takes the
/// object for missing; an upload is never retried. Against a real server on S3 (s3rver) that is
/// stopped: every retry is answered 503 with Retry-After (not 404, which DVC would take for gone
/// data at once), an upload fails leaving nothing behind, and the same GET answers 200 once the
/// store is back.
/// </summary>
public sealed class DvcObjectStoreOutageTests
{
    [Fact]
    public async Task GETs_during_an_object_store_outage_answer_503_every_retry_and_200_once_it_is_back()
    {
        await using var s3 = await S3rverServer.StartAsync();
        await using var server = await ServerProcess.StartAsync(s3.ServerEnvironment("dvc-outage/"));
        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        await using var dvc = new DvcWireClient(server.Port, "/team/data.git/info/dvc", DvcServerFixture.Basic("alice", token));
        var sample = await DvcSample.CreateAsync(seed: 11);
        var model = FilePath(sample.Model.Md5);
        AssertStatus(201, await dvc.UploadAsync(model, sample.Model.Content));

        await s3.StopAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var check = await dvc.ExistsAsync(model);
            Assert.True(check.Status == 503, $"attempt {attempt}: {check}");
            Assert.NotNull(check.Header("Retry-After"));
        }
        var failed = await dvc.UploadAsync(FilePath(sample.Dataset[3].Md5), sample.Dataset[3].Content);
        Assert.True(failed.Status >= 500, $"upload during the outage: {failed}");

        await s3.StartAgainAsync();
        await AssertDownloadAsync(dvc, model, sample.Model.Content);
        Assert.Equal(404, (await dvc.ExistsAsync(FilePath(sample.Dataset[3].Md5))).Status);
        var spool = Path.Combine(server.DataDir, "tmp", "dvc");
        Assert.Empty(Directory.Exists(spool) ? Directory.GetFiles(spool, "*", SearchOption.AllDirectories) : []);
    }
}
