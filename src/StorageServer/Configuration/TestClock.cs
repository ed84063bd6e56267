using System.Globalization;

namespace StorageServer.Configuration;

/// <summary>
/// For end-to-end tests of time-based behaviour (retention windows) against a real server process:
/// system time plus an offset in seconds read from the file that the environment variable
/// <see cref="EnvironmentVariable"/> names. Only that variable turns it on (no config key, no
/// command-line switch, so it cannot come in through a settings file), and startup logs a
/// warning while it is on.
/// </summary>
public sealed class TestClock(string offsetFile) : TimeProvider
{
    public const string EnvironmentVariable = "STORAGESERVER_TEST_CLOCK_OFFSET_FILE";

    private readonly Lock _gate = new();
    private DateTime _readAt = DateTime.MinValue;
    private TimeSpan _offset;

    public string OffsetFile { get; } = offsetFile;

    /// <summary>The test clock when the environment asks for it, else null.</summary>
    public static TestClock? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } file ? new TestClock(Path.GetFullPath(file)) : null;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset();

    private TimeSpan Offset()
    {
        lock (_gate)
        {
            var written = File.Exists(OffsetFile) ? File.GetLastWriteTimeUtc(OffsetFile) : DateTime.MinValue;
            if (written != _readAt)
            {
                _readAt = written;
                var text = written == DateTime.MinValue ? "0" : File.ReadAllText(OffsetFile).Trim();
                _offset = TimeSpan.FromSeconds(double.Parse(text.Length == 0 ? "0" : text, CultureInfo.InvariantCulture));
            }
            return _offset;
        }
    }
}
