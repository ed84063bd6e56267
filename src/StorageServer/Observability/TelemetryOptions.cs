namespace StorageServer.Observability;

/// <summary>OpenTelemetry export. Section <c>Telemetry</c>; nothing leaves the server unless <see cref="OtlpEndpoint"/> is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// The OTLP collector's base URL, e.g. <c>http://otel-collector:4318</c> (http/protobuf: traces go
    /// to <c>/v1/traces</c>, metrics to <c>/v1/metrics</c>) or <c>http://otel-collector:4317</c> (grpc).
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>HttpProtobuf</c> (default) or <c>Grpc</c>.</summary>
    public OtlpProtocolKind OtlpProtocol { get; set; } = OtlpProtocolKind.HttpProtobuf;

    /// <summary>Headers sent with every export (an API key, say), as <c>key1=value1,key2=value2</c>.</summary>
    public string? OtlpHeaders { get; set; }

    /// <summary>The <c>service.name</c> resource attribute; each node adds its <c>StorageServer:NodeId</c> as <c>service.instance.id</c>.</summary>
    public string ServiceName { get; set; } = "storageserver";

    /// <summary>How often metrics are exported over OTLP.</summary>
    public TimeSpan MetricExportInterval { get; set; } = TimeSpan.FromSeconds(60);
}

public enum OtlpProtocolKind
{
    HttpProtobuf,
    Grpc,
}
