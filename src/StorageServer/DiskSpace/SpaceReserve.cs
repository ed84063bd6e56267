using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.DiskSpace;

/// <summary>
/// A few megabytes kept in <c>&lt;data-dir&gt;/reserved-space</c> while the disk has room, and
/// released at the next start when it has none: SQLite cannot even open its database for reading
/// without creating its shared-memory file, so a node stopped cleanly and then restarted on a
/// completely full disk would otherwise not start. Runs before the database is opened.
/// </summary>
internal sealed class SpaceReserve(IOptions<StorageServerOptions> server, DiskSpaceGuard guard, ILogger<SpaceReserve> logger) : IHostedService
{
    public const string FileName = "reserved-space";
    public const int ReserveBytes = 8 * 1024 * 1024;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dataDir = server.Value.FullDataDir;
        var path = Path.Combine(dataDir, FileName);
        var free = DiskSpaceGuard.FreeBytes(dataDir);
        if (File.Exists(path))
        {
            if (free < ReserveBytes)
            {
                File.Delete(path);
                logger.LogWarning("The data directory's disk is full ({Free} bytes free): released the {Reserve} bytes kept in {Path} so the server can start. "
                    + "Free some space; the reserve is put back at a start with room.", free, ReserveBytes, path);
            }
            return;
        }
        if (free >= ReserveBytes + guard.MinFreeBytes)
        {
            await WriteAsync(path, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Real zeros, fsynced: a sparse or merely preallocated file might not hold the blocks.</summary>
    private static async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
        {
            var zeros = new byte[1024 * 1024];
            for (var written = 0; written < ReserveBytes; written += zeros.Length)
            {
                await file.WriteAsync(zeros, cancellationToken);
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
