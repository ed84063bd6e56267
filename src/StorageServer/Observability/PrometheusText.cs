using System.Globalization;
using System.Text;

namespace StorageServer.Observability;

/// <summary>The Prometheus text exposition format (version 0.0.4) of the collected series.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<InstrumentSeries> series)
    {
        var text = new StringBuilder();
        foreach (var instrument in series)
        {
            var name = MetricName(instrument);
            text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Instrument.Description).Append('\n');
            text.Append("# TYPE ").Append(name).Append(instrument.IsHistogram ? " histogram\n" : " counter\n");
            foreach (var (labels, value) in instrument.Values)
            {
                var (sum, count, buckets) = value.Snapshot();
                if (!instrument.IsHistogram)
                {
                    Line(text, name, labels, sum);
                    continue;
                }
                long cumulative = 0;
                for (var i = 0; i < buckets.Length; i++)
                {
                    cumulative += buckets[i];
                    Line(text, name + "_bucket", Join(labels, $"le=\"{Number(MetricsCollector.Buckets[i])}\""), cumulative);
                }
                Line(text, name + "_bucket", Join(labels, "le=\"+Inf\""), count);
                Line(text, name + "_sum", labels, sum);
                Line(text, name + "_count", labels, count);
            }
        }
        return text.ToString();
    }

    /// <summary><c>storageserver.http.received</c> with unit <c>By</c> → <c>storageserver_http_received_bytes_total</c>.</summary>
    public static string MetricName(InstrumentSeries series)
    {
        var name = series.Instrument.Name.Replace('.', '_');
        name += series.Instrument.Unit switch
        {
            "By" => "_bytes",
            "s" => "_seconds",
            _ => string.Empty,
        };
        return series.IsHistogram ? name : name + "_total";
    }

    /// <summary>Tags as <c>a="x",b="y"</c>, sorted by name so one tag set always gives one series.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add($"{tag.Key}=\"{Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static void Line(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
