using System.Globalization;

namespace StorageServer.Observability;

/// <summary>
/// Label values from a fixed set only: a label that takes whatever a client sends (the request
/// method, say) would let any stranger create series without limit and fill the scraper's memory.
/// </summary>
public static class MetricLabels
{
    /// <summary>What an unknown value becomes (OpenTelemetry's convention for HTTP methods).</summary>
    public const string Other = "_OTHER";

    /// <summary>The methods of RFC 9110 and PATCH; anything else counts as <see cref="Other"/>.</summary>
    public static string Method(string method) => method switch
    {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        _ => Other,
    };

    /// <summary>The status code the server sent (100-599); anything outside that range counts as <see cref="Other"/>.</summary>
    public static string Status(int status) => status is >= 100 and <= 599 ? status.ToString(CultureInfo.InvariantCulture) : Other;
}
