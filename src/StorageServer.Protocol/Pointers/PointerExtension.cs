namespace StorageServer.Protocol.Pointers;

/// <summary>An <c>ext-N-name sha256:…</c> line of a pointer (git-lfs docs/extensions.md).</summary>
public sealed record PointerExtension(int Priority, string Name, Oid Oid);
