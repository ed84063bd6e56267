using System.Collections.Concurrent;

namespace DurableLfsHost;

/// <summary>
/// The shard directories, each created and fsynced into its parent before anything is renamed into
/// it. Existing is not durable: a concurrent upload may have made the directory and still be fsyncing
/// its parent, so every upload into it awaits that one creation, and only a fsync this process saw
/// succeed marks it durable; a failed one fails its waiters and is tried afresh by the next upload.
/// </summary>
internal static class DurableDirectories
{
    private static readonly ConcurrentDictionary<string, byte> Durable = new();
    private static readonly ConcurrentDictionary<string, Task> Creating = new();

    public static async Task EnsureAsync(string directory, Action<string> flushDirectory)
    {
        if (Durable.ContainsKey(directory))
        {
            return;
        }
        var creation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = Creating.GetOrAdd(directory, creation.Task);
        if (inFlight != creation.Task)
        {
            await inFlight;
            return;
        }
        try
        {
            Directory.CreateDirectory(directory);
            flushDirectory(Path.GetDirectoryName(directory)!);
            Durable.TryAdd(directory, 0);
            Creating.TryRemove(new KeyValuePair<string, Task>(directory, creation.Task));
            creation.SetResult();
        }
        catch (Exception e)
        {
            Creating.TryRemove(new KeyValuePair<string, Task>(directory, creation.Task));
            creation.SetException(e);
            throw;
        }
    }
}
