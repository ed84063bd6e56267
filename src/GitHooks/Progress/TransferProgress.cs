using System.Globalization;

namespace GitHooks.Progress;

/// <summary>
/// A one-line progress bar on stderr — files, bytes, rate — redrawn a few times a second, and
/// only when stderr is a terminal: hooks run under CI and in pipes, where it would be noise.
/// Counters are updated from many transfer workers, hence Interlocked.
/// </summary>
public sealed class TransferProgress : IAsyncDisposable
{
    private readonly TextWriter _error;
    private readonly string _verb;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly ITimer? _timer;
    private int _totalFiles;
    private long _totalBytes;
    private long _bytes;
    private long _skippedBytes;
    private int _files;
    private int _lastWidth;

    /// <param name="open">The totals grow as work arrives (<see cref="AddWork"/>): draw even from zero.</param>
    public TransferProgress(TextWriter error, bool enabled, string verb, int totalFiles, long totalBytes, TimeProvider time, bool open = false)
    {
        _error = error;
        _verb = verb;
        _time = time;
        _totalFiles = totalFiles;
        _totalBytes = totalBytes;
        _start = time.GetTimestamp();
        if (enabled && (totalFiles > 0 || open))
        {
            _timer = time.CreateTimer(_ => Draw(final: false), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
        }
    }

    public static TransferProgress Silent { get; } = new(TextWriter.Null, false, string.Empty, 0, 0, TimeProvider.System);

    public long Bytes => Interlocked.Read(ref _bytes);

    public int Files => Volatile.Read(ref _files);

    public void AddBytes(long count) => Interlocked.Add(ref _bytes, count);

    public void FileDone() => Interlocked.Increment(ref _files);

    /// <summary>
    /// An object that needed no transfer (the server had it): done, bytes included, as git-lfs
    /// shows it, but not counted in the transfer rate.
    /// </summary>
    public void FileSkipped(long size)
    {
        Interlocked.Add(ref _skippedBytes, size);
        FileDone();
    }

    public void AddWork(int files, long bytes)
    {
        Interlocked.Add(ref _totalFiles, files);
        Interlocked.Add(ref _totalBytes, bytes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
            Draw(final: true);
        }
    }

    private void Draw(bool final)
    {
        var elapsed = _time.GetElapsedTime(_start).TotalSeconds;
        var transferred = Bytes;
        var bytes = transferred + Interlocked.Read(ref _skippedBytes);
        var rate = elapsed > 0 ? transferred / elapsed : 0;
        var totalBytes = Interlocked.Read(ref _totalBytes);
        var totalFiles = Volatile.Read(ref _totalFiles);
        var percent = totalBytes > 0 ? Math.Min(100, bytes * 100 / totalBytes) : 100;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{_verb}: {percent,3}% ({Files}/{totalFiles}), {FormatBytes(bytes)} / {FormatBytes(totalBytes)} | {FormatBytes((long)rate)}/s");
        lock (_error)
        {
            var pad = Math.Max(0, _lastWidth - line.Length);
            _lastWidth = line.Length;
            _error.Write("\r" + line + new string(' ', pad) + (final ? "\n" : string.Empty));
            _error.Flush();
        }
    }

    /// <summary>Sizes as git-lfs shows them (tools/humanize): 1000-based, one decimal below 10 (<c>3.0 KB</c>), none above (<c>13 KB</c>).</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        if (bytes < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }
        var exponent = Math.Min(units.Length - 1, (int)Math.Floor(Math.Log(bytes) / Math.Log(1000)));
        var value = Math.Floor(bytes / Math.Pow(1000, exponent) * 10 + 0.5) / 10;
        return value < 10
            ? string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[exponent]}")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0} {units[exponent]}");
    }
}
