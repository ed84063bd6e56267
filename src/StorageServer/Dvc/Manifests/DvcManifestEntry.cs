namespace StorageServer.Dvc.Manifests;

/// <summary>
/// One file listed by a stored directory manifest, recorded when the manifest is uploaded so the
/// server can tell, without reading the manifest again, whether every entry is present (a
/// <c>.dir</c> is never served otherwise) and which files a tracked directory holds (indexing).
/// Keyed by the manifest's SHA-256: the rows follow from its bytes alone.
/// </summary>
public sealed class DvcManifestEntry
{
    public required string ManifestOid { get; set; }

    /// <summary>The entry's path relative to the directory, <c>/</c>-separated.</summary>
    public required string Relpath { get; set; }

    /// <summary>The entry's MD5, in the manifest's own tree (legacy manifests list md5-dos2unix).</summary>
    public required string Md5 { get; set; }
}
