namespace StorageServer.Retention.Keeping;

/// <summary>A path whose regular file differs between a parent and a child commit: its blob in each (null: no regular file there).</summary>
public sealed record PathChange(string Path, string? Old, string? New);
