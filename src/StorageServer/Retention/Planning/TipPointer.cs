using StorageServer.Dvc.Indexing;

namespace StorageServer.Retention.Planning;

/// <summary>
/// A pointer at a path of a tree (<see cref="Path"/> is empty for a ref naming the pointer blob itself),
/// and the blob holding it: an LFS pointer, or a file DVC tracks there (<see cref="Dvc"/> says which
/// output, and for a directory's entry its relpath; a directory's manifest is at the directory's path).
/// </summary>
public sealed record TipPointer(string Path, string Oid, long Size, string Blob = "")
{
    public DvcPointer? Dvc { get; init; }
}
