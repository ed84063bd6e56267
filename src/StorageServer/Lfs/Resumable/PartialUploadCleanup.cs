namespace StorageServer.Lfs.Resumable;

/// <summary>Deletes partial uploads nobody touched within <see cref="ResumableUploadOptions.Expiry"/>, at startup and then periodically.</summary>
internal sealed partial class PartialUploadCleanup(PartialUploadStore store, Microsoft.Extensions.Options.IOptions<ResumableUploadOptions> options, TimeProvider clock,
    ILogger<PartialUploadCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, clock);
        do
        {
            try
            {
                var removed = store.DeleteExpired();
                if (removed > 0)
                {
                    Removed(logger, removed, store.Root);
                }
            }
            catch (IOException e)
            {
                Failed(logger, e, store.Root);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Deleted {Count} expired partial uploads from {Directory}")]
    private static partial void Removed(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Could not clean partial uploads in {Directory}")]
    private static partial void Failed(ILogger logger, Exception exception, string directory);
}
