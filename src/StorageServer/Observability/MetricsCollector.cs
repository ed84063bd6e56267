using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StorageServer.Observability;

/// <summary>
/// Aggregates this process's measurements for the Prometheus endpoint: a <see cref="MeterListener"/>
/// on the server's meter keeps a running sum per counter and tag set, and fixed buckets per
/// histogram. (prometheus-net and the OpenTelemetry hosting package are not available here.)
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>Seconds; covers a cached batch (ms) up to a 100-object batch on a slow database.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _series = new();

    public MetricsCollector(StorageMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // This host's meter only: by instance, not by name, as several hosts may share a process.
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                _series[instrument] = new InstrumentSeries(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyCollection<InstrumentSeries> Series => _series.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal).ToList();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }
}

/// <summary>All tag sets of one instrument with their running values.</summary>
public sealed class InstrumentSeries(Instrument instrument)
{
    private readonly ConcurrentDictionary<string, Aggregate> _byTags = new(StringComparer.Ordinal);

    public Instrument Instrument { get; } = instrument;

    public bool IsHistogram => Instrument is Histogram<double> or Histogram<long>;

    public IEnumerable<(string Labels, Aggregate Value)> Values => _byTags.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var aggregate = _byTags.GetOrAdd(PrometheusText.Labels(tags), _ => new Aggregate(IsHistogram ? MetricsCollector.Buckets.Length : 0));
        aggregate.Add(value);
    }
}

/// <summary>A sum, a count, and for histograms the count per bucket (not cumulative).</summary>
public sealed class Aggregate(int buckets)
{
    private readonly long[] _bucketCounts = new long[buckets];
    private readonly Lock _gate = new();

    public double Sum { get; private set; }

    public long Count { get; private set; }

    public void Add(double value)
    {
        lock (_gate)
        {
            Sum += value;
            Count++;
            for (var i = 0; i < _bucketCounts.Length; i++)
            {
                if (value <= MetricsCollector.Buckets[i])
                {
                    _bucketCounts[i]++;
                    break;
                }
            }
        }
    }

    public (double Sum, long Count, long[] Buckets) Snapshot()
    {
        lock (_gate)
        {
            return (Sum, Count, (long[])_bucketCounts.Clone());
        }
    }
}
