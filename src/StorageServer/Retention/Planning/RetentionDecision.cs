namespace StorageServer.Retention.Planning;

/// <summary>What a mark does with one item; the report's <c>action</c> column.</summary>
public static class RetentionActions
{
    public const string Trash = "trash";
    public const string WouldTrash = "would_trash";
    public const string Held = "held";

    /// <summary>Planned for the trash, but a push or an upload needed it again before the run was done.</summary>
    public const string Kept = "kept";
    public const string RemoveFromTip = "remove_from_tip";
    public const string WouldRemoveFromTip = "would_remove_from_tip";
}

/// <summary>One line of a run's report.</summary>
/// <param name="Policy">The policy (or built-in rule) that decided, e.g. <c>policy:3</c> or <c>orphan-grace</c>.</param>
public sealed record RetentionDecision(
    long RepositoryId, string Repository, string Oid, long Size, string? Path, string? LastRef, string Policy, string Reason, string Action);
