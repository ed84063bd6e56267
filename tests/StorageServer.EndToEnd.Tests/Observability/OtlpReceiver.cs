using System.Collections.Concurrent;
using System.Net;

namespace StorageServer.EndToEnd.Tests.Observability;

/// <summary>One span as an OTLP/HTTP export carried it.</summary>
internal sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A small OTLP/HTTP (protobuf) collector on a loopback port: it answers every export with 200 and
/// keeps the spans of <c>/v1/traces</c>, read by field number (opentelemetry-proto's trace.proto).
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToList();

    /// <summary>Waits until a span satisfying <paramref name="match"/> arrived; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<ReceivedSpan> WaitForAsync(Func<ReceivedSpan, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no such span within {timeout}; received: {string.Join(", ", _spans.Select(s => s.Name))}");
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in ParseTraces(body.ToArray()))
                {
                    _spans.Enqueue(span);
                }
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    /// <summary>ExportTraceServiceRequest: resource_spans(1) → resource(1).attributes(1), scope_spans(2) → spans(2).</summary>
    private static IEnumerable<ReceivedSpan> ParseTraces(byte[] request)
    {
        foreach (var resourceSpans in ProtobufFields.Read(request).All(1))
        {
            var fields = ProtobufFields.Read(resourceSpans.Bytes);
            var resource = fields.One(1) is { } r ? Attributes(ProtobufFields.Read(r.Bytes)) : new Dictionary<string, string>();
            var service = resource.GetValueOrDefault("service.name", string.Empty);
            foreach (var scopeSpans in fields.All(2))
            {
                foreach (var span in ProtobufFields.Read(scopeSpans.Bytes).All(2))
                {
                    var s = ProtobufFields.Read(span.Bytes);
                    yield return new ReceivedSpan(service, Hex(s, 1), Hex(s, 2), Hex(s, 4), s.One(5)?.Text ?? string.Empty, Attributes(s, field: 9));
                }
            }
        }
    }

    /// <summary>KeyValue(key 1, AnyValue value 2); AnyValue's string(1), bool(2), int(3) shown as text.</summary>
    private static Dictionary<string, string> Attributes(List<ProtobufFields.Field> message, int field = 1)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var pair in message.All(field))
        {
            var kv = ProtobufFields.Read(pair.Bytes);
            var value = kv.One(2) is { } v ? ProtobufFields.Read(v.Bytes).FirstOrDefault() : default;
            attributes[kv.One(1)?.Text ?? string.Empty] = value.Number switch
            {
                1 => value.Text,
                2 or 3 => value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => string.Empty,
            };
        }
        return attributes;
    }

    private static string Hex(List<ProtobufFields.Field> span, int field) => span.One(field) is { } f ? Convert.ToHexStringLower(f.Bytes.Span) : string.Empty;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
