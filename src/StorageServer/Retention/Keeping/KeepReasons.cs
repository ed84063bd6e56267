namespace StorageServer.Retention.Keeping;

/// <summary>The reason codes of <see cref="KeepVerdict"/>, and how a report's summary counts each.</summary>
public static class KeepReasons
{
    public const string ProtectedTip = "protected-tip";
    public const string Held = "held";
    public const string Uploading = "uploading";
    public const string OrphanGrace = "orphan-grace";
    public const string HistoryWithoutRule = "history-without-rule";
    public const string HistoryPolicy = "history-policy";

    /// <summary>Released: no pushed commit references it and the grace is over.</summary>
    public const string Orphan = "orphan";

    /// <summary>Released: every occurrence is let go by every rule that applies to it.</summary>
    public const string HistoryReleased = "history-released";

    /// <summary>The summary line for <paramref name="count"/> claims kept for <paramref name="reason"/>.</summary>
    public static string Describe(string reason, long count) => reason switch
    {
        ProtectedTip => $"{count} at the tip of a protected ref",
        Held => $"{count} held by a legal hold",
        Uploading => $"{count} being uploaded (an upload lease)",
        OrphanGrace => $"{count} younger than the orphan grace",
        HistoryWithoutRule => $"{count} in history that no history rule covers (without one, history is kept forever)",
        HistoryPolicy => $"{count} kept by a history rule (days after dereference, or among the last versions)",
        _ => $"{count} {reason}",
    };
}
