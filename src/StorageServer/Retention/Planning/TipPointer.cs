namespace StorageServer.Retention.Planning;

/// <summary>An LFS pointer at a path of a tree (<see cref="Path"/> is empty for a ref naming the pointer blob itself), and the blob holding it.</summary>
public sealed record TipPointer(string Path, string Oid, long Size, string Blob = "");
