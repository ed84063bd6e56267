using StorageServer.Protocol;
using StorageServer.Protocol.Pointers;

namespace GitHooks.LocalStorage;

/// <summary>
/// The local object cache, laid out exactly as git-lfs lays it out so both clients share it:
/// <c>.git/lfs/objects/aa/bb/&lt;oid&gt;</c>, temp files in <c>.git/lfs/tmp</c>, partial
/// downloads in <c>.git/lfs/incomplete/&lt;oid&gt;.part</c>. Objects only ever appear by an
/// atomic rename of a fully written and hashed temp file.
/// </summary>
public sealed class LfsObjectStore
{
    public LfsObjectStore(string lfsDirectory)
    {
        Root = Path.GetFullPath(lfsDirectory);
        ObjectsDirectory = Path.Combine(Root, "objects");
        TempDirectory = Path.Combine(Root, "tmp");
        IncompleteDirectory = Path.Combine(Root, "incomplete");
    }

    public string Root { get; }

    public string ObjectsDirectory { get; }

    public string TempDirectory { get; }

    public string IncompleteDirectory { get; }

    public string ObjectPath(Oid oid) => Path.Combine(ObjectsDirectory, oid.ShardedPath(Path.DirectorySeparatorChar));

    public string IncompletePath(Oid oid) => Path.Combine(IncompleteDirectory, oid.Value + ".part");

    /// <summary>True when the object is cached with the right size (the hash was checked on the way in).</summary>
    public bool Contains(LfsPointer pointer)
    {
        if (pointer.Size == 0)
        {
            return true;
        }
        var info = new FileInfo(ObjectPath(pointer.Oid));
        return info.Exists && info.Length == pointer.Size;
    }

    /// <summary>Creates an empty, uniquely named temp file next to the objects (same filesystem, so rename is atomic).</summary>
    public FileStream CreateTempFile()
    {
        Directory.CreateDirectory(TempDirectory);
        var path = Path.Combine(TempDirectory, Guid.NewGuid().ToString("N") + ".tmp");
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
    }

    /// <summary>Moves a verified temp file into place. A concurrent writer of the same oid wins harmlessly.</summary>
    public void Commit(string tempPath, Oid oid)
    {
        var target = ObjectPath(oid);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(tempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(tempPath);
        }
    }

    /// <summary>
    /// For sending: no FileStream buffer of its own (the HTTP content copies in large chunks) and
    /// not opened for async I/O, which Linux does not have for files anyway (each read would be
    /// one more thread-pool hop, 64 KiB at a time).
    /// </summary>
    public FileStream OpenForUpload(Oid oid) =>
        new(ObjectPath(oid), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    public FileStream OpenRead(Oid oid) =>
        new(ObjectPath(oid), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
