using Prometheus;

namespace StorageServer.Observability;

/// <summary>The documented <c>/metrics</c> series, in a prometheus-net registry of their own.</summary>
internal sealed class PrometheusMetrics
{
    public const string RequestsHelp = "HTTP requests handled, by route kind, method and status code";
    public const string ReceivedHelp = "Request body bytes received, by route kind";
    public const string SentHelp = "Response body bytes sent, by route kind";
    public const string BatchHelp = "Time to answer a Git LFS batch request";
    public const string DependencyHelp = "Requests failed because the database or object store was unavailable";
    public const string JobRunsHelp = "Background job runs finished on this node, by job and outcome (the run's final state)";

    public PrometheusMetrics()
    {
        var metrics = Metrics.WithCustomRegistry(Registry);
        Requests = metrics.CreateCounter("storageserver_http_requests_total", RequestsHelp, "kind", "method", "status");
        Received = metrics.CreateCounter("storageserver_http_received_bytes_total", ReceivedHelp, "kind");
        Sent = metrics.CreateCounter("storageserver_http_sent_bytes_total", SentHelp, "kind");
        BatchDuration = metrics.CreateHistogram("storageserver_lfs_batch_duration_seconds", BatchHelp,
            new HistogramConfiguration { LabelNames = ["status"], Buckets = StorageMetrics.BatchBuckets });
        DependencyErrors = metrics.CreateCounter("storageserver_dependency_errors_total", DependencyHelp, "dependency");
        JobRuns = metrics.CreateCounter("storageserver_jobs_runs_total", JobRunsHelp, "job", "outcome");
        // Process and runtime figures a Prometheus user expects next to ours: process_*, dotnet_*.
        DotNetStats.Register(Registry);
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Counter Requests { get; }

    public Counter Received { get; }

    public Counter Sent { get; }

    public Histogram BatchDuration { get; }

    public Counter DependencyErrors { get; }

    public Counter JobRuns { get; }
}
