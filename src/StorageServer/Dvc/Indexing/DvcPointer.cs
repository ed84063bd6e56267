using StorageServer.Dvc.Tracking;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// A DVC output resolved to stored bytes, as the pointer index and retention see files: a file
/// output at its path; a tracked directory as its manifest at the directory's path plus each
/// entry at <c>dir/relpath</c> (<see cref="Relpath"/>).
/// </summary>
public sealed record DvcPointer(string Path, string Oid, long Size, DvcOutput Output, string? Relpath)
{
    public bool IsManifest => Relpath is null && Output.Hash.IsManifest;
}
