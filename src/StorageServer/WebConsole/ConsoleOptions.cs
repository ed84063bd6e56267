using System.ComponentModel.DataAnnotations;

namespace StorageServer.WebConsole;

/// <summary>The web console at <c>/console</c>. Section <c>Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Off: no <c>/console</c> pages (the admin API and the CLI still work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A session unused this long ends; each page view extends it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in however busy it is (and sooner when its token expires or is revoked).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
