using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Objects;

/// <summary>
/// An object's bytes as a response, with single-range support (206 with Content-Range, 416) and
/// HEAD: a local file goes through the kernel's sendfile and ASP.NET Core's own range handling,
/// any other store is streamed. Shared by Git LFS downloads and the DVC remote.
/// </summary>
public static class ObjectBytes
{
    /// <summary>The response, or null when a local store has lost the file the database says is live.</summary>
    public static IResult? Serve(IObjectStore store, Oid oid, long size)
    {
        if (store is not ILocalFileObjectStore local)
        {
            return new StreamedObjectResult(store, oid, size);
        }
        return local.GetLocalPath(oid) is { } path
            ? TypedResults.PhysicalFile(path, Protocol.LfsMediaTypes.OctetStream, enableRangeProcessing: true)
            : null;
    }
}
