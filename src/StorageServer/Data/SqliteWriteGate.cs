using Microsoft.EntityFrameworkCore;

namespace StorageServer.Data;

/// <summary>
/// One in-process queue for the upload path's SQLite writes (lease commits, group commits of
/// upload records, lease releases). SQLite has a single write lock, and a writer that meets it
/// held waits inside SQLite's busy handler: it sleeps its thread (1, 2, 5, 10 … ms) and retries, so
/// with eight concurrent uploads the waits overshoot every commit and block thread-pool threads,
/// which on two cores starves the requests themselves (issue 17). Here the writers queue on an async
/// semaphore in arrival order and start the moment the one before them is done. Writers elsewhere
/// (sweeps, erasures, git pushes) keep SQLite's busy handler; the gate only orders this process's
/// hot path. A no-op on PostgreSQL, which locks rows, not the database.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Waits for the gate on SQLite (nothing on other providers); disposing the result leaves it.</summary>
    public ValueTask<IAsyncDisposable> EnterAsync(StorageDbContext db, CancellationToken cancellationToken) =>
        db.Database.IsSqlite() ? EnterSqliteAsync(cancellationToken) : ValueTask.FromResult<IAsyncDisposable>(Left.Instance);

    /// <summary>Waits for the gate, for a caller that knows it writes to SQLite; disposing the result leaves it.</summary>
    public async ValueTask<IAsyncDisposable> EnterSqliteAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Held(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Left : IAsyncDisposable
    {
        public static readonly Left Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
