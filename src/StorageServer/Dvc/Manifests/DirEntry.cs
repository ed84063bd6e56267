namespace StorageServer.Dvc.Manifests;

/// <summary>One file of a tracked directory, as its manifest lists it: path relative to the directory and MD5.</summary>
public sealed record DirEntry(string Relpath, string Md5);
