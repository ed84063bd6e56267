namespace StorageServer.Observability;

/// <summary>Groups request paths into a few kinds, so metrics never carry repository names.</summary>
public static class RouteKinds
{
    public const string LfsBatch = "lfs_batch";
    public const string LfsTransfer = "lfs_transfer";
    public const string LfsVerify = "lfs_verify";
    public const string LfsLocks = "lfs_locks";
    public const string Dvc = "dvc";
    public const string Git = "git";
    public const string Api = "api";
    public const string Health = "health";
    public const string Metrics = "metrics";
    public const string Other = "other";

    public static bool IsLfs(string kind) => kind is LfsBatch or LfsTransfer or LfsVerify or LfsLocks;

    public static string Of(PathString path)
    {
        var value = path.Value ?? string.Empty;
        if (value.StartsWith("/api/", StringComparison.Ordinal))
        {
            return Api;
        }
        if (value.StartsWith("/healthz", StringComparison.Ordinal))
        {
            return Health;
        }
        if (value == "/metrics")
        {
            return Metrics;
        }
        var lfs = value.IndexOf("/info/lfs/", StringComparison.Ordinal);
        if (lfs >= 0)
        {
            var rest = value.AsSpan(lfs + "/info/lfs/".Length);
            return rest.StartsWith("objects/batch", StringComparison.Ordinal) ? LfsBatch
                : rest.StartsWith("locks", StringComparison.Ordinal) ? LfsLocks
                : rest.EndsWith("/verify", StringComparison.Ordinal) ? LfsVerify
                : LfsTransfer;
        }
        if (value.Contains("/info/dvc/", StringComparison.Ordinal) || value.EndsWith("/info/dvc", StringComparison.Ordinal))
        {
            return Dvc;
        }
        return value.Contains(".git/", StringComparison.Ordinal) ? Git : Other;
    }
}
