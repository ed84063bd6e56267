using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StorageServer.Protocol;

namespace StorageServer.Lfs;

/// <summary>
/// Reads a Git LFS JSON request body with a size cap, turning every way it can be wrong into a
/// clear LFS error: 415 when it is not declared JSON, 413 when too large, 400 when not JSON or of
/// the wrong shape.
/// </summary>
public static class LfsJsonBody
{
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (RequireJsonContentType(request) is { } unsupported)
        {
            return (null, unsupported);
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {maxBytes} bytes."));
        }
        var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {maxBytes} bytes."));
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (null, LfsResults.Error(StatusCodes.Status400BadRequest, "Request body is empty; expected JSON."));
        }
        try
        {
            var body = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
            return body is null
                ? (null, LfsResults.Error(StatusCodes.Status400BadRequest, "Request body must be a JSON object."))
                : (body, null);
        }
        catch (JsonException e)
        {
            return (null, LfsResults.Error(StatusCodes.Status400BadRequest, $"Malformed JSON: {e.Message}"));
        }
    }

    /// <summary>
    /// 415 unless the body is declared <c>application/vnd.git-lfs+json</c> or <c>application/json</c>
    /// (git-lfs sends the first, with or without a charset). Browsers send other types cross-origin
    /// without asking (forms, <c>text/plain</c>), so this also keeps another site from driving
    /// the API with a visitor's cached credentials.
    /// </summary>
    public static IResult? RequireJsonContentType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && (string.Equals(type.MediaType, LfsMediaTypes.Json, StringComparison.OrdinalIgnoreCase)
                || string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            ? null
            : LfsResults.Error(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be {LfsMediaTypes.Json} (or application/json).");
}
