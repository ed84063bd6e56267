using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StorageServer.Configuration;

namespace StorageServer.Observability;

internal static class OpenTelemetryRegistration
{
    /// <summary>
    /// With <c>Telemetry:OtlpEndpoint</c> set: traces (ASP.NET Core requests, our spans, Npgsql
    /// commands) and metrics (our meter, ASP.NET Core, the .NET runtime) exported over OTLP.
    /// Without it nothing is collected for export at all. The options are validated at startup; an
    /// endpoint that is not an absolute http(s) URL is not wired, so the validation error, naming
    /// the key, is what the operator sees.
    /// </summary>
    public static IServiceCollection AddOpenTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.OtlpEndpoint is not { IsAbsoluteUri: true, Scheme: "http" or "https" } endpoint)
        {
            return services;
        }
        var nodeId = configuration.GetSection(StorageServerOptions.Section).Get<StorageServerOptions>()?.NodeId ?? Environment.MachineName;
        services.Configure<MetricReaderOptions>(reader =>
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.MetricExportInterval.TotalMilliseconds);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceInstanceId: nodeId))
            .WithTracing(tracing => tracing
                .AddSource(StorageTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(aspNet =>
                {
                    // Probes and scrapes every few seconds would drown the requests that matter.
                    aspNet.Filter = context => RouteKinds.Of(context.Request.Path) is not (RouteKinds.Health or RouteKinds.Metrics);
                    aspNet.EnrichWithHttpRequest = RedactPath;
                })
                .AddNpgsql()
                .AddOtlpExporter(exporter => Configure(exporter, options, endpoint, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(StorageMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter(exporter => Configure(exporter, options, endpoint, "v1/metrics")));
        return services;
    }

    /// <summary>http/protobuf posts each signal to its own path under the base URL; gRPC takes the base URL as it is.</summary>
    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, Uri endpoint, string signalPath)
    {
        var grpc = options.OtlpProtocol == OtlpProtocolKind.Grpc;
        exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = grpc ? endpoint : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        exporter.Headers = options.OtlpHeaders;
    }

    /// <summary>
    /// Paths name repositories and oids; spans keep the route template (their name) and the route
    /// kind instead, so a trace backend never holds what erasure would have to find there.
    /// </summary>
    private static void RedactPath(System.Diagnostics.Activity activity, HttpRequest request)
    {
        activity.SetTag("url.path", null);
        activity.SetTag("storageserver.route_kind", RouteKinds.Of(request.Path));
    }
}
