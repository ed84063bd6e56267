using StorageServer.Protocol;

namespace StorageServer.Storage;

/// <summary>
/// A store that can take bytes before their object id is known (a DVC upload names an MD5, not
/// the SHA-256): the caller writes and hashes them into a staging file of the store's own, on the
/// store's filesystem, and then publishes that file under the SHA-256 it computed, so the bytes
/// are written once and renamed into place. Stores without it get the bytes through
/// <see cref="IObjectStore.PutAsync"/> from a spool file instead.
/// </summary>
public interface IStagedUploadStore
{
    /// <summary>
    /// A fresh path in this node's temporary folder (cleared after a crash like a partial upload).
    /// The caller creates the file, and deletes it when it does not publish it.
    /// </summary>
    string NewStagingPath();

    /// <summary>
    /// fsyncs the staged file and renames it into place as <paramref name="oid"/>, then fsyncs the
    /// directory; when the object is already there the staged copy is discarded and
    /// <see cref="PutStatus.AlreadyExists"/> returned. The caller computed <paramref name="size"/>
    /// and the SHA-256 from the bytes it wrote; a file of another size is refused. The staged file
    /// never remains after the call.
    /// </summary>
    Task<PutResult> PublishStagedAsync(Oid oid, long size, string stagedPath, CancellationToken cancellationToken);
}
