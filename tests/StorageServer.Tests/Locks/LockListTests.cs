using System.Net;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Locks;

public sealed class LockListTests : LockApiTestBase
{
    [Fact]
    public async Task Without_locks_the_list_is_an_empty_array_without_next_cursor()
    {
        var reply = (await Alice.ListAsync("?refspec=refs%2Fheads%2Fmain")).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockList);

        Assert.Equal("""{"locks":[]}""", reply.Body);
    }

    [Fact]
    public async Task Lists_every_lock_with_owner_and_filters_by_path_and_id()
    {
        var a = await Alice.LockAsync("a.psd");
        var b = await Bob.LockAsync("dir/b.psd");

        var all = (await Reader.ListAsync("?refspec=refs%2Fheads%2Fmain")).AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockList);
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), all.Ids("locks").Order(StringComparer.Ordinal));
        Assert.Null(all.NextCursor);
        Assert.Contains(all.Json.GetProperty("locks").EnumerateArray(), l => l.GetProperty("owner").GetProperty("name").GetString() == "bob");

        Assert.Equal([b], (await Reader.ListAsync("?path=dir%2Fb.psd")).AssertValid(LfsSchema.LockList).Ids("locks"));
        Assert.Equal([a], (await Reader.ListAsync($"?id={a}")).Ids("locks"));
        Assert.Empty((await Reader.ListAsync($"?id={a}&path=dir%2Fb.psd")).Ids("locks"));
        Assert.Empty((await Reader.ListAsync("?path=b.psd")).Ids("locks"));
        Assert.Empty((await Reader.ListAsync("?id=nope")).Ids("locks"));
    }

    [Fact]
    public async Task Pages_follow_next_cursor_in_a_stable_order_until_it_is_absent()
    {
        // Some locks share a second (ordered by id), some are later.
        var expected = new List<(DateTimeOffset At, string Id)>();
        for (var i = 0; i < 8; i++)
        {
            if (i % 3 == 0)
            {
                Server.Clock.Advance(TimeSpan.FromSeconds(1));
            }
            var id = await (i % 2 == 0 ? Alice : Bob).LockAsync($"file{i}.psd");
            expected.Add((Server.Clock.GetUtcNow(), id));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var reply = (await Reader.ListAsync($"?limit=3{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"))
                .AssertStatus(HttpStatusCode.OK).AssertValid(LfsSchema.LockList);
            Assert.InRange(reply.Ids("locks").Count, 1, 3);
            seen.AddRange(reply.Ids("locks"));
            cursor = reply.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        var order = expected.OrderBy(e => new DateTimeOffset(e.At.Ticks - (e.At.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero))
            .ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Id);
        Assert.Equal(order, seen);
    }

    [Fact]
    public async Task Without_a_limit_pages_hold_100_locks()
    {
        for (var i = 0; i < 101; i++)
        {
            await Alice.LockAsync($"bulk/{i:D3}.bin");
        }

        var first = (await Alice.ListAsync()).AssertValid(LfsSchema.LockList);
        Assert.Equal(100, first.Ids("locks").Count);
        Assert.NotNull(first.NextCursor);
        var second = await Alice.ListAsync("?cursor=" + Uri.EscapeDataString(first.NextCursor!));
        Assert.Single(second.Ids("locks"));
        Assert.Null(second.NextCursor);
        Assert.Equal(101, first.Ids("locks").Concat(second.Ids("locks")).Distinct().Count());
    }

    [Fact]
    public async Task A_lock_released_between_pages_neither_hides_nor_repeats_others()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            Server.Clock.Advance(TimeSpan.FromSeconds(1));
            ids.Add(await Alice.LockAsync($"f{i}"));
        }

        var first = await Alice.ListAsync("?limit=2");
        Assert.Equal(ids[..2], first.Ids("locks"));
        (await Alice.UnlockAsync(ids[0])).AssertStatus(HttpStatusCode.OK);
        var second = await Alice.ListAsync("?limit=2&cursor=" + Uri.EscapeDataString(first.NextCursor!));

        Assert.Equal(ids[2..], second.Ids("locks"));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=-1")]
    [InlineData("?limit=ten")]
    [InlineData("?limit=1.5")]
    [InlineData("?cursor=not-a-cursor!")]
    [InlineData("?cursor=bm9jb2xvbg")]
    public async Task Bad_limits_and_cursors_are_422(string query)
    {
        var reply = (await Alice.ListAsync(query)).AssertStatus(HttpStatusCode.UnprocessableEntity);

        Assert.False(string.IsNullOrWhiteSpace(reply.Message));
    }

    [Fact]
    public async Task Limits_above_the_maximum_are_lowered_not_refused()
    {
        await Alice.LockAsync("one.psd");

        Assert.Single((await Alice.ListAsync("?limit=5000")).AssertStatus(HttpStatusCode.OK).Ids("locks"));
        Assert.Single((await Alice.ListAsync("?limit=99999999999999")).AssertStatus(HttpStatusCode.OK).Ids("locks"));
    }
}
