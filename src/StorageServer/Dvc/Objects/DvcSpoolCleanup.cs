using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// DVC uploads to a store without staging files of its own (S3) are spooled under
/// <c>&lt;data-dir&gt;/tmp/dvc</c>; what a crash left there is removed at startup.
/// </summary>
public sealed class DvcSpoolCleanup(IOptions<StorageServerOptions> server, ILogger<DvcSpoolCleanup> logger) : IHostedService
{
    public static string Directory(StorageServerOptions options) => Path.Combine(options.FullDataDir, "tmp", "dvc", options.NodeId);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory(server.Value);
        if (!System.IO.Directory.Exists(directory))
        {
            return Task.CompletedTask;
        }
        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(directory))
        {
            File.Delete(file);
            removed++;
        }
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} DVC upload spool files left by an earlier run in {Directory}", removed, directory);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
