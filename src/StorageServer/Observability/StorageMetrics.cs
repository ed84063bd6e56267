using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StorageServer.Observability;

/// <summary>
/// The server's own instruments (meter <c>StorageServer</c>). Tags stay low-cardinality (route
/// kind, method, status class, job name): never a repository, user or oid.
/// </summary>
public sealed class StorageMetrics : IDisposable
{
    public const string MeterName = "StorageServer";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _dependencyErrors;
    private readonly Counter<long> _jobRuns;

    public StorageMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("storageserver.http.requests", "{request}", "HTTP requests handled, by route kind, method and status code");
        _bytesIn = _meter.CreateCounter<long>("storageserver.http.received", "By", "Request body bytes received, by route kind");
        _bytesOut = _meter.CreateCounter<long>("storageserver.http.sent", "By", "Response body bytes sent, by route kind");
        _batchDuration = _meter.CreateHistogram<double>("storageserver.lfs.batch.duration", "s", "Time to answer a Git LFS batch request");
        _dependencyErrors = _meter.CreateCounter<long>("storageserver.dependency.errors", "{error}", "Requests failed because the database or object store was unavailable");
        _jobRuns = _meter.CreateCounter<long>("storageserver.jobs.runs", "{run}", "Background job runs finished on this node, by job and outcome (the run's final state)");
    }

    /// <summary>This host's meter (one per host; tests run several hosts in one process).</summary>
    public Meter Meter => _meter;

    public void Request(string kind, string method, int status, long bytesIn, long bytesOut, TimeSpan duration)
    {
        var statusTag = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _requests.Add(1, new TagList { { "kind", kind }, { "method", method }, { "status", statusTag } });
        _bytesIn.Add(bytesIn, new KeyValuePair<string, object?>("kind", kind));
        _bytesOut.Add(bytesOut, new KeyValuePair<string, object?>("kind", kind));
        if (kind == RouteKinds.LfsBatch)
        {
            _batchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", statusTag));
        }
    }

    public void DependencyError(string dependency) => _dependencyErrors.Add(1, new KeyValuePair<string, object?>("dependency", dependency));

    public void JobRun(string job, string outcome) => _jobRuns.Add(1, new TagList { { "job", job }, { "outcome", outcome } });

    public void Dispose() => _meter.Dispose();
}
