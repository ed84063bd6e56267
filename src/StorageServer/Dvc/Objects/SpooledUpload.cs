using StorageServer.Protocol;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// An upload body written to a staging file, with the hashes computed while it streamed. Deletes
/// the file when disposed unless it was published (renamed into the store) first.
/// </summary>
/// <param name="Dos2UnixMd5">DVC 2's md5-dos2unix of the bytes, computed for legacy-tree uploads only.</param>
public sealed record SpooledUpload(string Path, long Size, string Md5, Oid Sha256, string? Dos2UnixMd5) : IDisposable
{
    /// <summary>Whether the bytes are the object <paramref name="hash"/> names: its MD5, or for the legacy tree also its md5-dos2unix.</summary>
    public bool Matches(DvcHash hash) => hash.Md5 == Md5 || (hash.Legacy && hash.Md5 == Dos2UnixMd5);

    public void Dispose() => File.Delete(Path);
}
