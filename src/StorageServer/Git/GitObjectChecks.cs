namespace StorageServer.Git;

/// <summary>
/// git checks every object a push brings (<c>receive.fsckObjects</c>, run strictly: fsck warnings
/// such as a tree entry named <c>..</c> or <c>.git</c> refuse the push) before any of it lands, as
/// GitHub and GitLab do. Three historic quirks that old but harmless repositories carry are let
/// through, as GitLab's Gitaly does, so such histories can still be pushed.
/// </summary>
public static class GitObjectChecks
{
    /// <summary>Kept in every bare repository's config (new ones, and existing ones at start).</summary>
    public static readonly KeyValuePair<string, string> ReceiveFsck = new("receive.fsckObjects", "true");

    /// <summary>Given to every <c>git http-backend</c>, so pushes are checked whatever a repository's own config says.</summary>
    public static readonly IReadOnlyList<string> CommandLine =
    [
        "-c", "receive.fsckObjects=true",
        "-c", "receive.fsck.zeroPaddedFilemode=ignore",
        "-c", "receive.fsck.badTimezone=ignore",
        "-c", "receive.fsck.missingSpaceBeforeDate=ignore",
    ];
}
