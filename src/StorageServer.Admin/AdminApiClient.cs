using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace StorageServer.Admin.Cli;

/// <summary>A server answer: status and body (JSON, or a file's text such as a CSV report).</summary>
public sealed record ApiAnswer(int Status, string Body, string? MediaType)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>
    /// Prints a success to stdout (a table, or with <paramref name="json"/> the JSON indented) and a
    /// failure's message to stderr; returns the exit code.
    /// </summary>
    public async Task<int> PrintAsync(TextWriter output, TextWriter error, bool json)
    {
        if (!Succeeded)
        {
            await error.WriteLineAsync($"Error {Status}: {Message()}");
            return 1;
        }
        if (Body.Length == 0)
        {
            return 0;
        }
        if (MediaType is null || !MediaType.Contains("json", StringComparison.Ordinal))
        {
            await output.WriteLineAsync(Body.TrimEnd('\n'));
            return 0;
        }
        if (json)
        {
            await output.WriteLineAsync(Indented());
            return 0;
        }
        using var document = JsonDocument.Parse(Body);
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(output) });
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or a pager: whole rows, not rows wrapped at 80 columns.
            console.Profile.Width = 240;
        }
        console.Write(AnswerRenderer.Render(document.RootElement));
        await output.WriteLineAsync();
        return 0;
    }

    private string Message()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && (document.RootElement.TryGetProperty("message", out var message) || document.RootElement.TryGetProperty("detail", out message)))
            {
                return message.GetString() ?? Body;
            }
        }
        catch (JsonException)
        {
            // Not JSON: show it as it came.
        }
        return Body.Length == 0 ? "(no message)" : Body;
    }

    private string Indented()
    {
        using var document = JsonDocument.Parse(Body);
        return JsonSerializer.Serialize(document.RootElement, Indent);
    }

    private static readonly JsonSerializerOptions Indent = new() { WriteIndented = true };
}

/// <summary>The admin REST API over HTTP with the admin token as Bearer.</summary>
public sealed class AdminApiClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminApiClient(Uri baseUri, string token)
    {
        _http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("storageserver-admin/0.1");
    }

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiAnswer> PutAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<ApiAnswer> PatchAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Patch, path, body, cancellationToken);

    /// <summary>Escapes one path segment or query value (a slash too: pass an owner/name repository only as a query value).</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public void Dispose() => _http.Dispose();

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        else if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(string.Empty, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiAnswer((int)response.StatusCode, text, response.Content.Headers.ContentType?.MediaType);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}
