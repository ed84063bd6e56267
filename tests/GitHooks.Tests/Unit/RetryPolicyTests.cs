using System.Net;
using System.Net.Http.Headers;
using GitHooks.Api;

namespace GitHooks.Tests.Unit;

public sealed class RetryPolicyTests
{
    private readonly RetryPolicy _policy = new(8, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), TimeProvider.System);

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(3, 1000)]
    [InlineData(6, 8000)]
    [InlineData(7, 10000)]
    [InlineData(30, 10000)]
    public void Backoff_doubles_from_250ms_and_is_capped(int retry, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), _policy.DelayFor(retry, null));

    [Fact]
    public void Retry_after_replaces_the_backoff() =>
        Assert.Equal(TimeSpan.FromSeconds(3), _policy.DelayFor(5, TimeSpan.FromSeconds(3)));

    [Fact]
    public void Retry_after_in_seconds_is_read()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.ParseRetryAfter(response, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Retry_after_as_an_http_date_is_relative_to_now()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "Thu, 01 Jan 2026 12:00:30 GMT");
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.ParseRetryAfter(response, now));
    }

    [Fact]
    public void No_retry_after_gives_null()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(RetryPolicy.ParseRetryAfter(response, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Reads_retry_settings_from_git_config()
    {
        var config = new GitConfig([KeyValuePair.Create("lfs.transfer.maxretries", "3"), KeyValuePair.Create("lfs.transfer.maxretrydelay", "2")]);
        var policy = RetryPolicy.FromConfig(config, TimeProvider.System);
        Assert.Equal(3, policy.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayFor(10, null));
    }
}
