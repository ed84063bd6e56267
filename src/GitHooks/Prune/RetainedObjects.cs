using System.Globalization;
using GitHooks.Filtering;
using GitHooks.Git;
using StorageServer.Protocol;

namespace GitHooks.Prune;

/// <summary>
/// What <c>prune</c> must keep, by git-lfs's rules (git-lfs-prune(1)): the objects of the current
/// checkout and the index, of other worktrees' checkouts, of recent refs (committed to within
/// <c>lfs.fetchrecentrefsdays</c> + <c>lfs.pruneoffsetdays</c>, remote-tracking ones too with
/// <c>lfs.fetchrecentremoterefs</c>) and their recent commits (<c>lfs.fetchrecentcommitsdays</c>),
/// of every commit not yet on the prune remote, and of every stash. Paths in
/// <c>lfs.fetchexclude</c> are not kept for being checked out or recent, only for being unpushed or stashed.
/// </summary>
public sealed class RetainedObjects(GitRunner git, PruneSettings settings, PathFilter exclude, TimeProvider time)
{
    public async Task<HashSet<Oid>> FindAsync(CancellationToken cancellationToken)
    {
        var scanner = new PointerScanner(git);
        var keep = new HashSet<Oid>();
        var head = await git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", "HEAD^{commit}");
        var tips = new HashSet<string>(StringComparer.Ordinal);
        if (head.Succeeded)
        {
            tips.Add(head.StdOut.Trim());
        }
        tips.UnionWith(await WorktreeHeadsAsync(cancellationToken));
        if (settings.RecentRefsDays > 0)
        {
            tips.UnionWith(await RecentRefsAsync(time.GetUtcNow().AddDays(-(settings.RecentRefsDays + settings.OffsetDays)), cancellationToken));
        }
        foreach (var tip in tips)
        {
            await foreach (var found in scanner.ScanTreeAsync(tip, cancellationToken))
            {
                Keep(keep, found, filtered: true);
            }
            if (settings.RecentCommitsDays > 0)
            {
                await KeepRecentCommitsAsync(scanner, tip, keep, cancellationToken);
            }
        }
        await foreach (var found in scanner.ScanIndexAsync(cancellationToken))
        {
            Keep(keep, found, filtered: true);
        }
        // Unpushed and stashed objects are kept whatever the filter says: they may exist nowhere else.
        await foreach (var found in scanner.ScanHistoryAsync(["--branches", "--tags"], [$"--remotes={settings.Remote}"], cancellationToken))
        {
            Keep(keep, found, filtered: false);
        }
        foreach (var stash in await StashCommitsAsync(cancellationToken))
        {
            await foreach (var found in scanner.ScanTreeAsync(stash, cancellationToken))
            {
                Keep(keep, found, filtered: false);
            }
        }
        return keep;
    }

    private void Keep(HashSet<Oid> keep, ScannedPointer found, bool filtered)
    {
        if (!filtered || exclude.Allows(found.Path))
        {
            keep.Add(found.Pointer.Oid);
        }
    }

    /// <summary>Local branches (and remote-tracking ones when configured) committed to since <paramref name="since"/>.</summary>
    private async Task<List<string>> RecentRefsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        List<string> patterns = settings.RecentRemoteRefs ? ["refs/heads", "refs/remotes"] : ["refs/heads"];
        var output = await git.RunCheckedAsync(cancellationToken, ["for-each-ref", "--format=%(objectname) %(committerdate:unix)", .. patterns]);
        var recent = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(seconds) >= since)
            {
                recent.Add(parts[0]);
            }
        }
        return recent;
    }

    /// <summary>Versions a recent commit replaced: the trees of the tip's commits within the window and of their parents.</summary>
    private async Task KeepRecentCommitsAsync(PointerScanner scanner, string tip, HashSet<Oid> keep, CancellationToken cancellationToken)
    {
        var date = long.Parse((await git.RunCheckedAsync(cancellationToken, "log", "-1", "--format=%ct", tip)).Trim(), CultureInfo.InvariantCulture);
        var since = DateTimeOffset.FromUnixTimeSeconds(date).AddDays(-(settings.RecentCommitsDays + settings.OffsetDays)).ToUnixTimeSeconds();
        var commits = await git.RunCheckedAsync(cancellationToken, "log", $"--since={since}", "--format=%H %P", tip);
        foreach (var commit in commits.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries).Distinct())
        {
            await foreach (var found in scanner.ScanTreeAsync(commit, cancellationToken))
            {
                Keep(keep, found, filtered: true);
            }
        }
    }

    private async Task<List<string>> WorktreeHeadsAsync(CancellationToken cancellationToken)
    {
        var output = await git.RunAsync(cancellationToken, "worktree", "list", "--porcelain");
        return [.. output.StdOut.Split('\n').Where(l => l.StartsWith("HEAD ", StringComparison.Ordinal)).Select(l => l[5..].Trim())];
    }

    /// <summary>Every stash entry with its index and untracked-files commits (not the commit it was made on).</summary>
    private async Task<List<string>> StashCommitsAsync(CancellationToken cancellationToken)
    {
        var output = await git.RunAsync(cancellationToken, "log", "-g", "--format=%H %P", "refs/stash", "--");
        if (!output.Succeeded)
        {
            return [];
        }
        return [.. output.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(line => line.Split(' ') is var ids ? ids.Take(1).Concat(ids.Skip(2)) : [])
            .Distinct()];
    }
}
