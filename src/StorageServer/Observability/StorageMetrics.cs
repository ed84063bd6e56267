using System.Diagnostics;
using System.Diagnostics.Metrics;
using Prometheus;

namespace StorageServer.Observability;

/// <summary>
/// The server's own measurements, recorded twice: as System.Diagnostics.Metrics instruments (meter
/// <c>StorageServer</c>, exported over OTLP by OpenTelemetry when configured) and as prometheus-net
/// metrics in a registry of this host, which <c>/metrics</c> serves under the documented names.
/// (prometheus-net's own meter adapter would rename them and publish counters as gauges.)
/// Labels come from fixed sets only (<see cref="MetricLabels"/>): never a repository, user or oid.
/// </summary>
public sealed class StorageMetrics : IDisposable
{
    public const string MeterName = "StorageServer";

    /// <summary>Seconds; covers a cached batch (ms) up to a 100-object batch on a slow database.</summary>
    public static readonly double[] BatchBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _dependencyErrors;
    private readonly Counter<long> _jobRuns;
    private readonly PrometheusMetrics _scrape;

    public StorageMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("storageserver.http.requests", "{request}", PrometheusMetrics.RequestsHelp);
        _bytesIn = _meter.CreateCounter<long>("storageserver.http.received", "By", PrometheusMetrics.ReceivedHelp);
        _bytesOut = _meter.CreateCounter<long>("storageserver.http.sent", "By", PrometheusMetrics.SentHelp);
        _batchDuration = _meter.CreateHistogram<double>("storageserver.lfs.batch.duration", "s", PrometheusMetrics.BatchHelp,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = BatchBuckets });
        _dependencyErrors = _meter.CreateCounter<long>("storageserver.dependency.errors", "{error}", PrometheusMetrics.DependencyHelp);
        _jobRuns = _meter.CreateCounter<long>("storageserver.jobs.runs", "{run}", PrometheusMetrics.JobRunsHelp);
        _scrape = new PrometheusMetrics();
    }

    /// <summary>This host's Prometheus registry (one per host; tests run several hosts in one process).</summary>
    public CollectorRegistry Registry => _scrape.Registry;

    /// <param name="method">The request method as the client sent it; mapped to a fixed set here.</param>
    public void Request(string kind, string method, int status, long bytesIn, long bytesOut, TimeSpan duration)
    {
        var methodTag = MetricLabels.Method(method);
        var statusTag = MetricLabels.Status(status);
        _requests.Add(1, new TagList { { "kind", kind }, { "method", methodTag }, { "status", statusTag } });
        _bytesIn.Add(bytesIn, new KeyValuePair<string, object?>("kind", kind));
        _bytesOut.Add(bytesOut, new KeyValuePair<string, object?>("kind", kind));
        _scrape.Requests.WithLabels(kind, methodTag, statusTag).Inc();
        _scrape.Received.WithLabels(kind).Inc(bytesIn);
        _scrape.Sent.WithLabels(kind).Inc(bytesOut);
        if (kind == RouteKinds.LfsBatch)
        {
            _batchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", statusTag));
            _scrape.BatchDuration.WithLabels(statusTag).Observe(duration.TotalSeconds);
        }
    }

    public void DependencyError(string dependency)
    {
        _dependencyErrors.Add(1, new KeyValuePair<string, object?>("dependency", dependency));
        _scrape.DependencyErrors.WithLabels(dependency).Inc();
    }

    /// <param name="job">A registered job's name (a fixed set); <paramref name="outcome"/> the run's final state.</param>
    public void JobRun(string job, string outcome)
    {
        _jobRuns.Add(1, new TagList { { "job", job }, { "outcome", outcome } });
        _scrape.JobRuns.WithLabels(job, outcome).Inc();
    }

    public void Dispose() => _meter.Dispose();
}
