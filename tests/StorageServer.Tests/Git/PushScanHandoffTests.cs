using Microsoft.Extensions.Time.Testing;
using StorageServer.Git;
using StorageServer.Indexing;

namespace StorageServer.Tests.Git;

/// <summary>
/// What the pre-receive hands to the post-receive: only the same push (repository, receive-pack
/// process, every ref update it checked) takes a scan, once; the store stays bounded and forgets old scans.
/// </summary>
public sealed class PushScanHandoffTests
{
    private static readonly RefUpdate Main = new(new string('1', 40), new string('2', 40), "refs/heads/main");
    private static readonly RefUpdate Tag = new(new string('0', 40), new string('3', 40), "refs/tags/v1");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-06T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static PointerScan Scan(string commit) => new([commit], []);

    [Fact]
    public void Only_the_same_push_with_every_checked_update_takes_the_scan_and_only_once()
    {
        var handoff = new PushScanHandoff(_clock);
        handoff.Remember(7, "4242", [Main, Tag], Scan("a"));

        Assert.Null(handoff.Take(8, "4242", [Main, Tag]));
        Assert.Null(handoff.Take(7, "4243", [Main, Tag]));
        // One update failed: post-receive hears only of the other; its commits are not the checked ones.
        Assert.Null(handoff.Take(7, "4242", [Main]));
        Assert.Null(handoff.Take(7, "4242", [Main with { New = new string('9', 40) }, Tag]));
        Assert.Equal(["a"], handoff.Take(7, "4242", [Tag, Main])!.Commits);
        Assert.Null(handoff.Take(7, "4242", [Main, Tag]));

        // No push id (a hook script from before it was sent): nothing is kept or found.
        handoff.Remember(7, "", [Main], Scan("b"));
        Assert.Null(handoff.Take(7, "", [Main]));
    }

    [Fact]
    public void Scans_of_pushes_that_never_reach_post_receive_expire_and_the_store_stays_bounded()
    {
        var handoff = new PushScanHandoff(_clock);
        handoff.Remember(1, "1", [Main], Scan("old"));
        handoff.Remember(1, "2", [Main], Scan("slow"));
        // A loaded machine between the hooks: minutes still find the scan, as long as they are few.
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(["slow"], handoff.Take(1, "2", [Main])!.Commits);
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(handoff.Take(1, "1", [Main]));

        for (var i = 0; i <= PushScanHandoff.MaxEntries; i++)
        {
            handoff.Remember(1, $"p{i}", [Main], Scan($"c{i}"));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        // The oldest went first.
        Assert.Null(handoff.Take(1, "p0", [Main]));
        Assert.Equal([$"c{PushScanHandoff.MaxEntries}"], handoff.Take(1, $"p{PushScanHandoff.MaxEntries}", [Main])!.Commits);
    }
}
