using StorageServer.Dvc.Tracking;

namespace StorageServer.Dvc.Indexing;

/// <summary>A DVC output that <see cref="Commit"/> introduced (its metadata file changed there), or names in its tree.</summary>
public sealed record DvcOutputEntry(string Commit, DvcOutput Output)
{
    /// <summary>Found in the whole tree of a pushed tip (<see cref="DvcTipCheck"/>), not among the new commits' changes.</summary>
    public bool AtTip { get; init; }
}
