namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>One HTTP response as it came off the socket; <see cref="Body"/> is null when it was not read (HEAD, or a hang-up after the headers).</summary>
public sealed record WireResponse(int Status, string Reason, IReadOnlyDictionary<string, string> Headers, byte[]? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public long? ContentLength => Header("Content-Length") is { } value ? long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public override string ToString() => $"{Status} {Reason}{(Body is { Length: > 0 } b && Header("Content-Type")?.StartsWith("text/", StringComparison.Ordinal) == true ? ": " + System.Text.Encoding.UTF8.GetString(b).Trim() : "")}";
}
