using StorageServer.Dvc.Objects;

namespace StorageServer.Dvc.Tracking;

/// <summary>
/// One cached output a <c>.dvc</c> file or <c>dvc.lock</c> names: the workspace path it occupies
/// (from the repository root, <c>/</c>-separated), its object (a file, or a directory manifest),
/// and where it is written so a server commit can update it: the metadata file, the stage (null
/// in a <c>.dvc</c> file) and its index among that file's or stage's outs.
/// </summary>
public sealed record DvcOutput(string Path, DvcHash Hash, long? Size, long? Files, string MetadataPath, string? Stage, int Index);
