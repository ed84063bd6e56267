using System.Globalization;

namespace GitHooks.Api;

/// <summary>
/// Backoff as git-lfs does it: 250 ms × 2^(n-1), capped (default 10 s), at most
/// <c>lfs.transfer.maxretries</c> (default 8) retries; a server's <c>Retry-After</c> (seconds or
/// an HTTP date) replaces the computed backoff. Every wait is announced on stderr with what went
/// wrong and how long it lasts, so a slow server never looks like a hung command.
/// </summary>
public sealed class RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider time)
{
    public int MaxRetries { get; } = maxRetries;

    public TimeProvider Time { get; } = time;

    /// <summary>Where waits are announced (stderr); null keeps them silent.</summary>
    public TextWriter? Log { get; init; }

    public static RetryPolicy FromConfig(GitConfig config, TimeProvider time, TextWriter? log = null) => new(
        Math.Max(0, config.GetInt("lfs.transfer.maxretries", 8)),
        TimeSpan.FromMilliseconds(250),
        TimeSpan.FromSeconds(Math.Max(0, config.GetInt("lfs.transfer.maxretrydelay", 10))),
        time)
    {
        Log = log,
    };

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is { } serverSaid)
        {
            return serverSaid < TimeSpan.Zero ? TimeSpan.Zero : serverSaid;
        }
        var exponent = Math.Clamp(retry - 1, 0, 20);
        var delay = TimeSpan.FromTicks(baseDelay.Ticks * (1L << exponent));
        return delay > maxDelay ? maxDelay : delay;
    }

    /// <summary>Waits before retry number <paramref name="retry"/>, saying why and for how long.</summary>
    /// <param name="failure">What failed, e.g. "the LFS server answered 503 Service Unavailable".</param>
    public async Task WaitAsync(int retry, TimeSpan? retryAfter, string failure, CancellationToken cancellationToken)
    {
        var delay = DelayFor(retry, retryAfter);
        if (Log is not null)
        {
            var seconds = delay.TotalSeconds.ToString(delay.TotalSeconds < 10 ? "0.##" : "0", CultureInfo.InvariantCulture);
            var why = retryAfter is null ? "backing off" : "as the server asked (Retry-After)";
            await Log.WriteLineAsync($"git-storage: {failure}; retrying in {seconds} s {why} (retry {retry} of {MaxRetries})");
        }
        await Task.Delay(delay, Time, cancellationToken);
    }

    /// <summary>Reads <c>Retry-After</c> as delta-seconds or an HTTP date relative to now.</summary>
    public static TimeSpan? ParseRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            return date - now;
        }
        // Some servers send a value .NET's typed parser rejects; try the raw text as seconds.
        if (response.Headers.TryGetValues("Retry-After", out var raw)
            && int.TryParse(raw.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return null;
    }
}
