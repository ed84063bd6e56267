using StorageServer.Protocol;

namespace GitHooks.LocalStorage;

/// <summary>
/// Objects a delayed checkout could not download, handed from the filter process to the hook
/// that runs after the same git command (<c>.git/lfs/delay-failed</c>, one "oid code" a line).
/// The filter has already warned about each; the hook only turns them into its exit code
/// instead of trying (and warning) a second time.
/// </summary>
public static class DelayFailures
{
    private static string FilePath(LfsObjectStore store) => Path.Combine(store.Root, "delay-failed");

    /// <summary>Adds failures; <paramref name="fresh"/> starts the file over (the first write of a filter process).</summary>
    public static void Record(LfsObjectStore store, IEnumerable<(Oid Oid, int? Code)> failures, bool fresh)
    {
        Directory.CreateDirectory(store.Root);
        var lines = failures.Select(f => $"{f.Oid.Value} {f.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        if (fresh)
        {
            File.WriteAllLines(FilePath(store), lines);
        }
        else
        {
            File.AppendAllLines(FilePath(store), lines);
        }
    }

    /// <summary>Reads and removes the recorded failures: oid → server status code (null: none).</summary>
    public static Dictionary<Oid, int?> Take(LfsObjectStore store)
    {
        var path = FilePath(store);
        var result = new Dictionary<Oid, int?>();
        if (!File.Exists(path))
        {
            return result;
        }
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && Oid.TryParse(parts[0], out var oid))
                {
                    result[oid] = int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null;
                }
            }
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable: the hook simply tries those objects again.
        }
        return result;
    }
}
