using System.ComponentModel.DataAnnotations;

namespace StorageServer.Observability;

/// <summary>The Prometheus endpoint <c>/metrics</c>. Section <c>Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Off: <c>/metrics</c> answers 404 (the instruments still run, at negligible cost).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A bearer token a scraper on another host sends (Prometheus <c>authorization.credentials</c>).
    /// Without it, <c>/metrics</c> answers only direct loopback callers: a request that came through
    /// a proxy (it carries <c>X-Forwarded-For</c>) is refused, so the shipped nginx site does not
    /// publish it (it also blocks the path itself).
    /// </summary>
    [MinLength(16)]
    public string? ScrapeToken { get; set; }
}
