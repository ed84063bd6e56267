using System.Net;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Locks;

/// <summary>Who may call which locking endpoint: Read lists, Write locks, verifies and unlocks.</summary>
public sealed class LockAccessTests : LockApiTestBase
{
    [Fact]
    public async Task A_read_only_token_can_list_but_not_lock_verify_or_unlock()
    {
        var id = await Alice.LockAsync("a.psd");

        (await Reader.ListAsync()).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockList);
        (await Reader.CreateAsync("b.psd")).AssertStatus(HttpStatusCode.Forbidden);
        (await Reader.VerifyAsync()).AssertStatus(HttpStatusCode.Forbidden);
        (await Reader.UnlockAsync(id, force: true)).AssertStatus(HttpStatusCode.Forbidden);

        Assert.Equal([id], (await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Another_repositorys_token_sees_404_everywhere()
    {
        var id = await Alice.LockAsync("a.psd");

        (await Outsider.ListAsync()).AssertStatus(HttpStatusCode.NotFound);
        (await Outsider.CreateAsync("b.psd")).AssertStatus(HttpStatusCode.NotFound);
        (await Outsider.VerifyAsync()).AssertStatus(HttpStatusCode.NotFound);
        (await Outsider.UnlockAsync(id, force: true)).AssertStatus(HttpStatusCode.NotFound);

        Assert.Equal([id], (await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Unknown_repositories_are_404_for_a_valid_token()
    {
        using var admin = new LockApiClient(Server.CreateAdminClient(), "/team/missing.git/info/lfs");

        (await admin.ListAsync()).AssertStatus(HttpStatusCode.NotFound);
        (await admin.CreateAsync("a.psd")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_credentials_every_endpoint_is_401_with_LFS_Authenticate()
    {
        var id = await Alice.LockAsync("a.psd");

        foreach (var reply in new[]
        {
            await Anonymous.ListAsync(),
            await Anonymous.CreateAsync("b.psd"),
            await Anonymous.VerifyAsync(),
            await Anonymous.UnlockAsync(id),
        })
        {
            reply.AssertStatus(HttpStatusCode.Unauthorized);
            Assert.StartsWith("Basic realm=", Assert.Single(reply.Headers.GetValues("LFS-Authenticate")), StringComparison.Ordinal);
        }
        Assert.Equal([id], (await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Wrong_credentials_are_401_too()
    {
        using var wrong = new LockApiClient(Server.CreateBasicClient("not-a-real-token"));

        (await wrong.ListAsync()).AssertStatus(HttpStatusCode.Unauthorized);
        (await wrong.CreateAsync("a.psd")).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_anonymous_read_repository_lists_without_credentials_but_asks_for_them_to_lock()
    {
        await Server.CreateRepoAsync("team/public", allowAnonymousRead: true);
        using var anonymous = new LockApiClient(Server.CreateClient(), "/team/public.git/info/lfs");

        (await anonymous.ListAsync()).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockList);
        (await anonymous.CreateAsync("a.psd")).AssertStatus(HttpStatusCode.Unauthorized);
        (await anonymous.VerifyAsync()).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_repository_path_works_with_and_without_dot_git()
    {
        using var plain = await ClientForAsync("alice", "write", lfsBase: "/team/data/info/lfs");

        var id = await plain.LockAsync("a.psd");

        Assert.Equal([id], (await Alice.ListAsync()).Ids("locks"));
        (await plain.UnlockAsync(id)).AssertStatus(HttpStatusCode.OK);
    }
}
