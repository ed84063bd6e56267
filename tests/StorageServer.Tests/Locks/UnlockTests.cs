using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Locks;

public sealed class UnlockTests : LockApiTestBase
{
    [Fact]
    public async Task The_owner_unlocks_and_gets_the_deleted_lock_back()
    {
        var id = await Alice.LockAsync("a.psd");

        var reply = (await Alice.UnlockAsync(id)).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockCreateResponse);

        Assert.Equal(id, reply.Json.GetProperty("lock").GetProperty("id").GetString());
        Assert.Equal("a.psd", reply.Json.GetProperty("lock").GetProperty("path").GetString());
        Assert.Equal("alice", reply.Json.GetProperty("lock").GetProperty("owner").GetProperty("name").GetString());
        Assert.Empty((await Alice.ListAsync()).Ids("locks"));
        (await Bob.CreateAsync("a.psd")).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Someone_elses_lock_without_force_is_403_with_a_message_and_stays()
    {
        var id = await Alice.LockAsync("a.psd");

        var reply = (await Bob.UnlockAsync(id)).AssertStatus(HttpStatusCode.Forbidden);

        Assert.Contains("alice", reply.Message, StringComparison.Ordinal);
        Assert.Equal([id], (await Bob.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task A_repository_admin_can_force_unlock_someone_elses_lock()
    {
        var id = await Alice.LockAsync("a.psd");

        (await Carol.UnlockAsync(id)).AssertStatus(HttpStatusCode.Forbidden);
        var reply = (await Carol.UnlockAsync(id, force: true)).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockCreateResponse);

        Assert.Equal(id, reply.Json.GetProperty("lock").GetProperty("id").GetString());
        Assert.Empty((await Alice.ListAsync()).Ids("locks"));

        using var admin = Server.CreateAdminClient();
        var audit = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(admin, "/api/audit");
        var entry = audit.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "lock.force-unlock");
        Assert.Equal("carol", entry.GetProperty("actor").GetString());
        Assert.Contains(id, entry.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Force_by_a_writer_is_403_and_the_lock_stays()
    {
        var id = await Alice.LockAsync("a.psd");

        var reply = (await Bob.UnlockAsync(id, force: true)).AssertStatus(HttpStatusCode.Forbidden);

        Assert.Contains("admin", reply.Message, StringComparison.Ordinal);
        Assert.Equal([id], (await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Force_on_ones_own_lock_needs_no_admin()
    {
        var id = await Alice.LockAsync("a.psd");

        (await Alice.UnlockAsync(id, force: true)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unknown_ids_and_ids_of_other_repositories_are_404()
    {
        (await Alice.UnlockAsync("0123456789abcdef0123456789abcdef")).AssertStatus(HttpStatusCode.NotFound);

        using var elsewhere = await ClientForAsync("alice", "write", "team/other", "/team/other.git/info/lfs");
        var foreign = await elsewhere.LockAsync("x.psd");
        (await Alice.UnlockAsync(foreign)).AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal([foreign], (await elsewhere.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Unlocking_twice_is_404_the_second_time()
    {
        var id = await Alice.LockAsync("a.psd");
        (await Alice.UnlockAsync(id)).AssertStatus(HttpStatusCode.OK);

        (await Alice.UnlockAsync(id)).AssertStatus(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{oops")]
    [InlineData("""{"force":"yes"}""")]
    [InlineData("")]
    public async Task Malformed_unlock_bodies_are_400_and_unlock_nothing(string body)
    {
        var id = await Alice.LockAsync("a.psd");

        (await Alice.PostAsync($"locks/{id}/unlock", body)).AssertStatus(HttpStatusCode.BadRequest);

        Assert.Equal([id], (await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Lock_unlock_and_force_unlock_are_logged_as_structured_events()
    {
        var logs = Logs;
        using var dave = new LockApiClient(Basic(Server.CreateClient(), await Server.CreateTokenAsync("dave", new Dictionary<string, string> { ["team/data"] = "write" })));
        using var erin = new LockApiClient(Basic(Server.CreateClient(), await Server.CreateTokenAsync("erin", new Dictionary<string, string> { ["team/data"] = "admin" })));

        var first = await dave.LockAsync("logged.psd");
        (await dave.UnlockAsync(first)).AssertStatus(HttpStatusCode.OK);
        var second = await dave.LockAsync("logged.psd");
        (await erin.UnlockAsync(second, force: true)).AssertStatus(HttpStatusCode.OK);

        var events = logs.Entries.Where(e => e.Category == "StorageServer.Locks.LockService").ToList();
        Assert.Collection(events,
            e => AssertEvent(e, "LockCreated", ("User", "dave"), ("Repository", "team/data"), ("Path", "logged.psd"), ("LockId", first)),
            e => AssertEvent(e, "LockReleased", ("User", "dave"), ("Repository", "team/data"), ("Path", "logged.psd"), ("LockId", first)),
            e => AssertEvent(e, "LockCreated", ("User", "dave"), ("LockId", second)),
            e => AssertEvent(e, "LockForceReleased", ("User", "erin"), ("Owner", "dave"), ("Path", "logged.psd"), ("LockId", second)));
    }

    private static HttpClient Basic(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"user:{token}")));
        return client;
    }

    private static void AssertEvent(CapturingLoggerProvider.Entry entry, string eventName, params (string Key, string Value)[] fields)
    {
        Assert.Equal(eventName, entry.EventName);
        foreach (var (key, value) in fields)
        {
            Assert.True(entry.State.TryGetValue(key, out var actual) && Equals(actual?.ToString(), value), $"{eventName}: {key} was '{actual}', expected '{value}'");
        }
    }
}
