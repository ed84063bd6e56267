using StorageServer.Git;

namespace StorageServer.Indexing;

/// <summary>
/// Hands a push's pre-receive scan (<see cref="PointerScanner.ScanAsync"/> of its new commits) to its
/// post-receive, which would otherwise walk, diff and read the same commits again to index them
/// (five git processes, a third of a small push's hook time). A scan is taken only by the same push:
/// the same repository, the same receive-pack process (the hooks' parent, <c>$PPID</c>) and exactly the
/// same ref updates, i.e. every update the check saw landed. Anything else (a partly failed push, a
/// server restart between the hooks, an old hook script without the push id) finds nothing here and
/// scans as before. Entries of pushes that never reach post-receive (rejected, failed) expire; the
/// store holds at most <see cref="MaxEntries"/> scans of at most <see cref="MaxPointers"/> entries each,
/// so no pusher can make it grow.
/// </summary>
public sealed class PushScanHandoff(TimeProvider clock)
{
    internal const int MaxEntries = 32;
    internal const int MaxPointers = 200_000;

    /// <summary>
    /// Between its two hooks receive-pack only moves the quarantined objects into the repository (renames
    /// on one filesystem) and updates the refs, which takes milliseconds, seconds on a loaded machine:
    /// five minutes leaves ample room, while the scan of a push that never reaches post-receive (up to
    /// <see cref="MaxPointers"/> entries, its check rejected or its ref update failed) is not held for
    /// half an hour. A scan that expired costs only the rescan it saved: the post-receive scans again.
    /// </summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (PointerScan Scan, DateTimeOffset At)> _scans = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="scan"/> for the post-receive of push <paramref name="pushId"/>; a push without an id, or too large a scan, is not kept.</summary>
    internal void Remember(long repositoryId, string pushId, IReadOnlyList<RefUpdate> updates, PointerScan scan)
    {
        if (pushId.Length == 0 || scan.Pointers.Count + scan.DvcOutputs.Count > MaxPointers)
        {
            return;
        }
        // Only what indexing needs: the blob maps of the check are not kept.
        var kept = new PointerScan(scan.Commits, scan.Pointers) { DvcOutputs = scan.DvcOutputs };
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var stale in _scans.Where(e => now - e.Value.At > Lifetime).Select(e => e.Key).ToList())
            {
                _scans.Remove(stale);
            }
            while (_scans.Count >= MaxEntries)
            {
                _scans.Remove(_scans.MinBy(e => e.Value.At).Key);
            }
            _scans[Key(repositoryId, pushId, updates)] = (kept, now);
        }
    }

    /// <summary>The scan the pre-receive of this very push kept, removed from the store; null when there is none.</summary>
    internal PointerScan? Take(long repositoryId, string pushId, IReadOnlyList<RefUpdate> updates)
    {
        if (pushId.Length == 0)
        {
            return null;
        }
        lock (_lock)
        {
            return _scans.Remove(Key(repositoryId, pushId, updates), out var entry) && clock.GetUtcNow() - entry.At <= Lifetime ? entry.Scan : null;
        }
    }

    private static string Key(long repositoryId, string pushId, IReadOnlyList<RefUpdate> updates) =>
        $"{repositoryId}\n{pushId}\n" + string.Join('\n', updates.Select(u => $"{u.Old} {u.New} {u.Ref}").Order(StringComparer.Ordinal));
}
