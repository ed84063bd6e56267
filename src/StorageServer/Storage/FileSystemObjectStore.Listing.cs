using System.Runtime.CompilerServices;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

public sealed partial class FileSystemObjectStore : IObjectStoreListing
{
    public async IAsyncEnumerable<ListedObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var level1 in Directory.EnumerateDirectories(_root))
        {
            if (Path.GetFileName(level1).Length != 2)
            {
                continue; // .tmp and anything foreign
            }
            foreach (var file in Directory.EnumerateFiles(level1, "*", SearchOption.AllDirectories))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = new FileInfo(file);
                if (Oid.TryParse(info.Name, out var oid) && info.Exists)
                {
                    yield return new ListedObject(oid, info.Length, info.LastWriteTimeUtc);
                }
            }
            await Task.Yield();
        }
    }
}
