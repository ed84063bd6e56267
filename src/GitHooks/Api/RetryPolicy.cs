using System.Globalization;

namespace GitHooks.Api;

/// <summary>
/// Backoff as git-lfs does it: 250 ms × 2^(n-1), capped (default 10 s), at most
/// <c>lfs.transfer.maxretries</c> (default 8) retries; a server's <c>Retry-After</c> (seconds or
/// an HTTP date) replaces the computed backoff.
/// </summary>
public sealed class RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider time)
{
    public int MaxRetries { get; } = maxRetries;

    public TimeProvider Time { get; } = time;

    public static RetryPolicy FromConfig(GitConfig config, TimeProvider time) => new(
        Math.Max(0, config.GetInt("lfs.transfer.maxretries", 8)),
        TimeSpan.FromMilliseconds(250),
        TimeSpan.FromSeconds(Math.Max(0, config.GetInt("lfs.transfer.maxretrydelay", 10))),
        time);

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

    public Task WaitAsync(int retry, TimeSpan? retryAfter, CancellationToken cancellationToken) =>
        Task.Delay(DelayFor(retry, retryAfter), Time, cancellationToken);

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
