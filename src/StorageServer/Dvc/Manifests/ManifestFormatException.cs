namespace StorageServer.Dvc.Manifests;

/// <summary>A directory manifest that is not exactly what DVC writes; the message says where and why.</summary>
public sealed class ManifestFormatException(string message) : Exception(message);
