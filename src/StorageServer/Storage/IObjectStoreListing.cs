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
