using System.Net;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Locks;

public sealed class LockVerifyTests : LockApiTestBase
{
    [Fact]
    public async Task Without_locks_both_arrays_are_present_and_empty()
    {
        var reply = (await Alice.VerifyAsync()).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockVerify);

        Assert.Equal("""{"ours":[],"theirs":[]}""", reply.Body);
    }

    [Fact]
    public async Task Locks_are_split_into_ours_and_theirs_by_the_authenticated_user()
    {
        var mine = await Alice.LockAsync("alice.psd");
        var also = await Alice.LockAsync("dir/alice2.psd");
        var bobs = await Bob.LockAsync("bob.psd");

        var forAlice = (await Alice.VerifyAsync()).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockVerify);
        Assert.Equal(new[] { mine, also }.Order(StringComparer.Ordinal), forAlice.Ids("ours").Order(StringComparer.Ordinal));
        Assert.Equal([bobs], forAlice.Ids("theirs"));

        var forBob = (await Bob.VerifyAsync()).AssertValid(LfsSchema.LockVerify);
        Assert.Equal([bobs], forBob.Ids("ours"));
        Assert.Equal(new[] { mine, also }.Order(StringComparer.Ordinal), forBob.Ids("theirs").Order(StringComparer.Ordinal));

        var forCarol = (await Carol.VerifyAsync()).AssertValid(LfsSchema.LockVerify);
        Assert.Empty(forCarol.Ids("ours"));
        Assert.Equal(3, forCarol.Ids("theirs").Count);
    }

    [Fact]
    public async Task Verify_pages_with_cursor_and_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            Server.Clock.Advance(TimeSpan.FromSeconds(1));
            await (i % 2 == 0 ? Alice : Bob).LockAsync($"v{i}.psd");
        }

        var ours = new List<string>();
        var theirs = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var reply = (await Alice.VerifyAsync(cursor, limit: 2)).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockVerify);
            ours.AddRange(reply.Paths("ours"));
            theirs.AddRange(reply.Paths("theirs"));
            cursor = reply.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["v0.psd", "v2.psd", "v4.psd"], ours);
        Assert.Equal(["v1.psd", "v3.psd"], theirs);
    }

    [Theory]
    [InlineData("""{"ref":{"name":"refs/heads/main"},"limit":0}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"ref":{"name":"refs/heads/main"},"cursor":"garbage"}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"ref":{"name":"refs/heads/main"},"limit":"ten"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"ref":""", HttpStatusCode.BadRequest)]
    public async Task Bad_verify_bodies_are_refused(string body, HttpStatusCode expected)
    {
        (await Alice.PostAsync("locks/verify", body)).AssertStatus(expected);
    }

    [Fact]
    public async Task A_verify_body_without_ref_cursor_or_limit_is_accepted()
    {
        (await Alice.PostAsync("locks/verify", "{}")).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockVerify);
    }
}
