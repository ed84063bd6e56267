using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>
/// A store whose objects are files on a local filesystem. Downloads then go through the
/// kernel's sendfile with ASP.NET Core's own range handling instead of a copy loop.
/// </summary>
public interface ILocalFileObjectStore : IObjectStore
{
    /// <summary>The object's file, or null when it is absent.</summary>
    string? GetLocalPath(Oid oid);

    /// <summary>The directory every object and partial upload lives under (its disk's free space is watched).</summary>
    string Root { get; }
}
