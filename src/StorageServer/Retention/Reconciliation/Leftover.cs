namespace StorageServer.Retention.Reconciliation;

/// <summary>One leftover found by <see cref="CrashLeftoverReconciler"/>, old enough to reclaim.</summary>
public sealed record Leftover(string Oid, long Size, LeftoverKind Kind);
