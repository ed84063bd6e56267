using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace StorageServer.Lfs;

/// <summary>
/// Reads a Git LFS JSON request body with a size cap, turning every way it can be wrong into a
/// clear LFS error: 413 when too large, 400 when not JSON or of the wrong shape.
/// </summary>
public static class LfsJsonBody
{
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {maxBytes} bytes."));
        }
        var buffer = new MemoryStream();
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
}
