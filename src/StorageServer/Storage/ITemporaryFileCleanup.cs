namespace StorageServer.Storage;

/// <summary>A store that keeps partial uploads of its own and must clear them after a crash.</summary>
public interface ITemporaryFileCleanup
{
    /// <summary>Deletes this node's leftovers of uploads that were interrupted; returns how many.</summary>
    Task<int> DeleteAbandonedUploadsAsync(CancellationToken cancellationToken);
}
