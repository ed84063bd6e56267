using GitHooks.Api;

namespace GitHooks.Prune;

/// <summary>
/// git-lfs's fetch/prune settings (git-lfs-config(5)): what counts as recent, which remote proves
/// an object was pushed, and whether prune asks that remote before deleting.
/// </summary>
public sealed record PruneSettings(int RecentRefsDays, bool RecentRemoteRefs, int RecentCommitsDays, int OffsetDays, string Remote, bool VerifyRemoteAlways)
{
    public static PruneSettings FromConfig(GitConfig config) => new(
        Math.Max(0, config.GetInt("lfs.fetchrecentrefsdays", 7)),
        config.GetBool("lfs.fetchrecentremoterefs", true),
        Math.Max(0, config.GetInt("lfs.fetchrecentcommitsdays", 0)),
        Math.Max(0, config.GetInt("lfs.pruneoffsetdays", 3)),
        config.Get("lfs.pruneremotetocheck") is { Length: > 0 } remote ? remote : "origin",
        config.GetBool("lfs.pruneverifyremotealways", false));
}
