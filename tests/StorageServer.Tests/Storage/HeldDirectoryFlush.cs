using System.Collections.Concurrent;

namespace StorageServer.Tests.Storage;

/// <summary>
/// A directory fsync for <see cref="StorageServer.Storage.FileSystemObjectStore"/> that records every
/// directory it flushes and holds back the first flush of one chosen directory until released, then
/// lets it succeed or fail: the window in which that directory's entry is not yet on disk.
/// </summary>
internal sealed class HeldDirectoryFlush
{
    private readonly ConcurrentQueue<string> _flushed = new();
    private readonly ManualResetEventSlim _released = new();
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _held;
    private bool _fails;

    /// <summary>Completes when the held flush has begun (and is waiting for <see cref="Release"/>).</summary>
    public Task Reached => _reached.Task;

    public void Hold(string directory, bool thenFail = false)
    {
        _held = directory;
        _fails = thenFail;
    }

    public void Release() => _released.Set();

    public int Count(string directory) => _flushed.Count(flushed => flushed == directory);

    public void Flush(string directory)
    {
        _flushed.Enqueue(directory);
        if (directory != _held || !_reached.TrySetResult())
        {
            return;
        }
        if (!_released.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"The held flush of '{directory}' was never released.");
        }
        if (_fails)
        {
            throw new IOException($"fsync of directory '{directory}' failed (held and failed by the test).");
        }
    }
}
