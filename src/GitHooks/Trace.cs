namespace GitHooks;

/// <summary>
/// <c>GIT_STORAGE_TRACE=1</c> prints how long each step took to stderr (like GIT_TRACE), so a
/// slow checkout can be explained without a profiler. Silent otherwise.
/// </summary>
public sealed class Trace
{
    private readonly ICommandContext? _context;
    private long _last;

    private Trace(ICommandContext? context)
    {
        _context = context;
        _last = context?.Time.GetTimestamp() ?? 0;
    }

    public static Trace Start(ICommandContext context) =>
        new(context.GetEnvironmentVariable("GIT_STORAGE_TRACE") is "1" or "true" ? context : null);

    public async Task StepAsync(string what)
    {
        if (_context is null)
        {
            return;
        }
        var now = _context.Time.GetTimestamp();
        var elapsed = _context.Time.GetElapsedTime(_last, now);
        _last = now;
        await _context.Error.WriteLineAsync($"trace git-storage: {what} ({elapsed.TotalMilliseconds:0} ms)");
    }
}
