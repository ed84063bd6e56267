using System.Net;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Git;

public sealed class GitDisabledTests
{
    [Fact]
    public async Task With_git_disabled_the_git_endpoints_are_absent_and_the_server_is_healthy()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Git__Enabled"] = "false" });
        await server.CreateRepoAsync("team/nogit");
        using var admin = server.CreateClient(ServerProcess.AdminToken);
        foreach (var path in new[] { "/team/nogit.git/info/refs?service=git-upload-pack", "/team/nogit.git/info/refs?service=git-receive-pack" })
        {
            using var response = await admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using var post = await admin.PostAsync("/team/nogit.git/git-upload-pack", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        using var rescan = await admin.PostAsync("/api/repos/team/nogit/rescan", null);
        Assert.Equal(HttpStatusCode.NotFound, rescan.StatusCode);
        using var health = await admin.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
