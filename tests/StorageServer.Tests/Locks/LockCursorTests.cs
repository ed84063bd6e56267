using StorageServer.Locks;

namespace StorageServer.Tests.Locks;

public sealed class LockCursorTests
{
    [Fact]
    public void Round_trips_and_is_url_safe()
    {
        var cursor = new LockCursor(new DateTimeOffset(2026, 11, 22, 12, 0, 1, TimeSpan.Zero), "0f1e2d3c4b5a69788796a5b4c3d2e1f0");

        var text = cursor.Encode();

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.True(LockCursor.TryDecode(text, out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%%%")]
    [InlineData("MTIz")] // "123": no id
    [InlineData("OmFiYw")] // ":abc": no time
    [InlineData("LTE6YWJj")] // "-1:abc"
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OmFiYw")] // seconds beyond DateTimeOffset
    public void Refuses_what_it_did_not_issue(string text) => Assert.False(LockCursor.TryDecode(text, out _));

    [Fact]
    public void Refuses_oversized_cursors() => Assert.False(LockCursor.TryDecode(new string('A', 1000), out _));
}
