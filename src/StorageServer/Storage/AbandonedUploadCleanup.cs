namespace StorageServer.Storage;

/// <summary>Clears partial uploads a crash left behind, before the server takes new ones.</summary>
internal sealed class AbandonedUploadCleanup(IObjectStore store, ILogger<AbandonedUploadCleanup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is ITemporaryFileCleanup cleanup)
        {
            var removed = await cleanup.DeleteAbandonedUploadsAsync(cancellationToken);
            if (removed > 0)
            {
                logger.LogWarning("Removed {Count} partial uploads left by an earlier run", removed);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
