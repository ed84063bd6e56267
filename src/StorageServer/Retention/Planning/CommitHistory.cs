namespace StorageServer.Retention.Planning;

/// <summary>Commits reachable from some tips, in <c>rev-list --topo-order</c> order (newest first), with each one's parents.</summary>
public sealed record CommitHistory(IReadOnlyList<string> Commits, IReadOnlyDictionary<string, string[]> Parents)
{
    public static readonly CommitHistory Empty = new([], new Dictionary<string, string[]>());
}
