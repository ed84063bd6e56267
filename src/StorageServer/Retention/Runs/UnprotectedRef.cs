namespace StorageServer.Retention.Runs;

/// <summary>A ref no protectedRefs glob matches: its tip keeps nothing by itself (only history rules and holds can).</summary>
public sealed record UnprotectedRef(string Repository, string Ref);
