using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Data;

/// <summary>
/// One server process per SQLite database: an exclusive lock on <c>storageserver.server-lock</c> next to the database file
/// held from start until the process ends, and a clear startup error for a second server on the same
/// file. What runs in-process on SQLite relies on it: upload leases (<see cref="Retention.Sweeping.LeaseStores.InProcessUploadLeaseStore"/>),
/// the write gate, Quartz's in-memory store. The lock is <c>flock</c>, which the kernel drops with the
/// process, so a killed server leaves nothing stale behind. Several nodes run on PostgreSQL.
/// </summary>
public sealed class SqliteSingleProcessLock(string connectionString) : IHostedService, IDisposable
{
    private FileStream? _held;

    /// <summary>
    /// Takes the lock, once; <see cref="StorageServerHost.MapStorageServer"/> calls it before the host starts,
    /// so a refused second server stops with Program.cs's one line, not the host's logged stack trace.
    /// </summary>
    public void Acquire()
    {
        var database = new SqliteConnectionStringBuilder(connectionString);
        if (_held is not null || database.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(database.DataSource) || database.DataSource == ":memory:")
        {
            return;
        }
        // storageserver.db → storageserver.server-lock: not one of the database's own files
        // (storageserver.db*), which tools and tests read or delete as a set.
        var path = Path.ChangeExtension(Path.GetFullPath(database.DataSource), ".server-lock");
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix (and a sharing mode on Windows).
            _held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                [$"Database: another StorageServer process is serving the SQLite database '{Path.GetFullPath(database.DataSource)}' (it holds '{path}'). "
                    + "One SQLite database has one server; several nodes share a PostgreSQL database (Database:Provider=Postgres)."]);
        }
    }

    /// <summary>Also a hosted service, so a host built without <see cref="StorageServerHost.MapStorageServer"/> holds the lock too.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Acquire();
        return Task.CompletedTask;
    }

    /// <summary>Held until the container is disposed, after every request, job and hosted service has stopped.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _held?.Dispose();
}
