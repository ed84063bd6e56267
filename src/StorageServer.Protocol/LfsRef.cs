namespace StorageServer.Protocol;

/// <summary>A git ref named in batch and lock requests, e.g. <c>refs/heads/main</c>.</summary>
public sealed record LfsRef(string? Name);
