using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>
/// A store that can list what it holds with each object's last-modified time: what crash
/// reconciliation needs to tell an old leftover from an upload that is still being recorded.
/// </summary>
public interface IObjectStoreListing
{
    /// <summary>Every object the store holds (final keys only, never uploads in flight), in no particular order.</summary>
    IAsyncEnumerable<ListedObject> ListAsync(CancellationToken cancellationToken);
}

/// <summary>An object as the store lists it; <see cref="LastModified"/> is when its bytes were put in place.</summary>
public sealed record ListedObject(Oid Oid, long Size, DateTimeOffset LastModified);
