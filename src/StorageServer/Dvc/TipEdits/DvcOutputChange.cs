using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Tracking;

namespace StorageServer.Dvc.TipEdits;

/// <summary>
/// A change to one output as its metadata file records it: point it at <see cref="NewHash"/> (with
/// the new size and, for a directory, file count), or remove it when <see cref="NewHash"/> is null.
/// </summary>
public sealed record DvcOutputChange(DvcOutput Output, DvcHash? NewHash, long NewSize = 0, long? NewFiles = null)
{
    public bool Removes => NewHash is null;
}
