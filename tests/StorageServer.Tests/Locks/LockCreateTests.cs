using System.Globalization;
using System.Net;
using StorageServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Locks;

public sealed class LockCreateTests : LockApiTestBase
{
    [Fact]
    public async Task Creating_a_lock_returns_201_with_a_string_id_an_rfc3339_time_and_the_owner()
    {
        Server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 22, 12, 34, 56, 789, TimeSpan.Zero));

        var reply = (await Alice.CreateAsync("assets/hero.psd")).AssertStatus(HttpStatusCode.Created).AssertValid(LfsSchema.LockCreateResponse);

        var created = reply.Json.GetProperty("lock");
        Assert.Equal(System.Text.Json.JsonValueKind.String, created.GetProperty("id").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(created.GetProperty("id").GetString()));
        Assert.Equal("assets/hero.psd", created.GetProperty("path").GetString());
        Assert.Equal("alice", created.GetProperty("owner").GetProperty("name").GetString());
        var lockedAt = created.GetProperty("locked_at").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$", lockedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 34, 56, TimeSpan.Zero),
            DateTimeOffset.Parse(lockedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }

    [Fact]
    public async Task Locking_a_locked_path_is_409_with_the_existing_lock_whoever_asks()
    {
        var id = await Alice.LockAsync("model.bin");

        var byBob = (await Bob.CreateAsync("model.bin")).AssertStatus(HttpStatusCode.Conflict).AssertValid(LfsSchema.LockCreateResponse);
        Assert.Equal(id, byBob.Json.GetProperty("lock").GetProperty("id").GetString());
        Assert.Equal("alice", byBob.Json.GetProperty("lock").GetProperty("owner").GetProperty("name").GetString());
        Assert.Contains("alice", byBob.Message, StringComparison.Ordinal);

        var byAlice = (await Alice.CreateAsync("model.bin")).AssertStatus(HttpStatusCode.Conflict);
        Assert.Equal(id, byAlice.Json.GetProperty("lock").GetProperty("id").GetString());
        Assert.Equal([id], (await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Concurrent_locks_of_one_path_give_exactly_one_owner()
    {
        // Several rounds, so the insert race behind the look-up (settled by the unique index) really happens.
        for (var round = 0; round < 5; round++)
        {
            var path = $"race{round}.psd";
            var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? Alice : Bob).CreateAsync(path)));

            var winner = Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
            var id = winner.Json.GetProperty("lock").GetProperty("id").GetString();
            Assert.All(replies.Where(r => r != winner), r =>
            {
                r.AssertStatus(HttpStatusCode.Conflict);
                Assert.Equal(id, r.Json.GetProperty("lock").GetProperty("id").GetString());
            });
            Assert.Equal([id!], (await Alice.ListAsync("?path=" + path)).Ids("locks"));
        }
    }

    [Fact]
    public async Task The_same_path_can_be_locked_in_another_repository()
    {
        await Alice.LockAsync("shared.psd");
        using var other = await ClientForAsync("alice", "write", "team/other", "/team/other.git/info/lfs");

        (await other.CreateAsync("shared.psd")).AssertStatus(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("dir\\file.psd")]
    [InlineData("../outside.psd")]
    [InlineData("a/../b.psd")]
    [InlineData("./a.psd")]
    [InlineData("a//b.psd")]
    [InlineData("dir/")]
    [InlineData("a\u0000b")]
    [InlineData("line\nbreak.psd")]
    [InlineData("tab\there.psd")]
    public async Task Bad_paths_are_422_with_a_message_and_lock_nothing(string path)
    {
        var reply = (await Alice.CreateAsync(path)).AssertStatus(HttpStatusCode.UnprocessableEntity);

        Assert.False(string.IsNullOrWhiteSpace(reply.Message));
        Assert.Empty((await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Paths_are_bounded_in_length()
    {
        var longest = string.Join('/', Enumerable.Repeat(new string('x', 255), 16)) + "z";
        Assert.Equal(4096, longest.Length);

        (await Alice.CreateAsync(longest + "y")).AssertStatus(HttpStatusCode.UnprocessableEntity);
        (await Alice.CreateAsync(longest)).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_missing_path_is_422_and_a_lone_surrogate_is_refused()
    {
        (await Alice.PostAsync("locks", """{"ref":{"name":"refs/heads/main"}}""")).AssertStatus(HttpStatusCode.UnprocessableEntity);
        // System.Text.Json already refuses it as malformed JSON; LockPaths checks it again (LockPathsTests).
        (await Alice.PostAsync("locks", """{"path":"a\ud800.psd"}""")).AssertStatus(HttpStatusCode.BadRequest);
        Assert.Empty((await Alice.ListAsync()).Ids("locks"));
    }

    [Fact]
    public async Task Unicode_and_spaces_are_ordinary_path_characters_and_ref_is_optional()
    {
        (await Alice.CreateAsync("Art Work/Ünïcödé 画像.psd")).AssertStatus(HttpStatusCode.Created);
        (await Alice.PostAsync("locks", """{"path":"no-ref.psd"}""")).AssertStatus(HttpStatusCode.Created);

        Assert.Equal(["Art Work/Ünïcödé 画像.psd", "no-ref.psd"], (await Alice.ListAsync()).Paths("locks").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"path": 42}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Malformed_bodies_are_400_with_a_message(string body)
    {
        var reply = (await Alice.PostAsync("locks", body)).AssertStatus(HttpStatusCode.BadRequest);

        Assert.False(string.IsNullOrWhiteSpace(reply.Message));
    }
}
