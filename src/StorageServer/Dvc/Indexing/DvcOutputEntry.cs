using StorageServer.Dvc.Tracking;

namespace StorageServer.Dvc.Indexing;

/// <summary>A DVC output that <see cref="Commit"/> introduced (its metadata file changed there).</summary>
public sealed record DvcOutputEntry(string Commit, DvcOutput Output);
