using System.Globalization;

namespace StorageServer.EndToEnd.Tests.Retention;

/// <summary>
/// The server's test clock: an offset in seconds in the file that STORAGESERVER_TEST_CLOCK_OFFSET_FILE
/// names. Moving it moves the server's notion of now (policies, graces, trash windows).
/// </summary>
internal sealed class ServerTestClock : IDisposable
{
    private double _offsetSeconds;

    public string File { get; } = Path.Combine(Path.GetTempPath(), $"storageserver-clock-{Guid.NewGuid():N}");

    /// <summary>The environment a server process needs to use this clock.</summary>
    public Dictionary<string, string> Environment => new() { ["STORAGESERVER_TEST_CLOCK_OFFSET_FILE"] = File };

    public async Task AdvanceAsync(TimeSpan by)
    {
        _offsetSeconds += by.TotalSeconds;
        await System.IO.File.WriteAllTextAsync(File, _offsetSeconds.ToString(CultureInfo.InvariantCulture));
        // The server re-reads the file when its modification time changes; make sure it does.
        System.IO.File.SetLastWriteTimeUtc(File, System.IO.File.GetLastWriteTimeUtc(File).AddSeconds(_offsetSeconds / 1000 + 1));
    }

    public void Dispose() => System.IO.File.Delete(File);
}
