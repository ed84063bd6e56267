using StorageServer.Protocol;
using StorageServer.Protocol.Pointers;
using GitHooks.LocalStorage;

namespace GitHooks.Prune;

/// <summary>The objects in the local cache (<c>.git/lfs/objects/aa/bb/&lt;oid&gt;</c>), named by their oid and sized from the file.</summary>
public static class LocalObjects
{
    public static List<LfsPointer> List(LfsObjectStore store)
    {
        var found = new List<LfsPointer>();
        if (!Directory.Exists(store.ObjectsDirectory))
        {
            return found;
        }
        foreach (var file in Directory.EnumerateFiles(store.ObjectsDirectory, "*", SearchOption.AllDirectories))
        {
            if (Oid.TryParse(Path.GetFileName(file), out var oid) && store.ObjectPath(oid) == file)
            {
                found.Add(new LfsPointer(oid, new FileInfo(file).Length));
            }
        }
        return found;
    }
}
