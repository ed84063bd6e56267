using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Api;

/// <summary>
/// <c>POST &lt;endpoint&gt;/objects/batch</c>. A server that cannot be reached at all (connection
/// refused, unknown host) fails at once, as with git-lfs. Dropped connections, 429 and 5xx are
/// retried with backoff, each wait announced (git-lfs 3.3 gives up on 5xx at once; a server that
/// restarts mid-push is better served by a few retries). Every other failure becomes a message
/// that says what to do.
/// </summary>
public sealed class BatchClient(LfsHttpClient http, Uri endpoint, RetryPolicy retry)
{
    public Uri Endpoint { get; } = endpoint;

    public Uri BatchUrl { get; } = new(endpoint.AbsoluteUri.TrimEnd('/') + "/objects/batch");

    /// <param name="transfers">Adapter names offered, most preferred first (default: basic only).</param>
    public async Task<BatchResponse> RequestAsync(string operation, IReadOnlyCollection<LfsPointer> objects, string? refName, CancellationToken cancellationToken,
        IReadOnlyList<string>? transfers = null)
    {
        var body = new BatchRequest
        {
            Operation = operation,
            Transfers = transfers ?? [LfsMediaTypes.BasicTransfer],
            Ref = refName is null ? null : new LfsRef(refName),
            Objects = [.. objects.Select(o => new BatchRequestObject(o.Oid.Value, o.Size))],
            HashAlgo = LfsMediaTypes.HashAlgorithm,
        };
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var response = await http.SendAsync(() => CreateRequest(body), allowCredentials: true, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return await ReadResponseAsync(response, cancellationToken);
                }
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode is < 500 or 501 or 507)
                {
                    throw new BatchFailedException(await DescribeAsync(response, operation, cancellationToken));
                }
                retryAfter = RetryPolicy.ParseRetryAfter(response, retry.Time.GetUtcNow());
                failure = await DescribeAsync(response, operation, cancellationToken);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
            {
                // Nothing listens there (or the name does not resolve): waiting will not help.
                throw new BatchFailedException(
                    $"cannot reach the LFS server at {BatchUrl.GetLeftPart(UriPartial.Authority)} ({ex.Message}). "
                    + "Check that the server is running and that lfs.url or the remote URL is right ('git storage env' shows the endpoint in use).");
            }
            catch (HttpRequestException ex)
            {
                failure = $"lost the connection to the LFS server at {BatchUrl.GetLeftPart(UriPartial.Authority)} ({ex.Message})";
            }
            if (attempt >= retry.MaxRetries)
            {
                throw new BatchFailedException(failure);
            }
            await retry.WaitAsync(attempt + 1, retryAfter, $"batch request: {failure}", cancellationToken);
        }
    }

    private HttpRequestMessage CreateRequest(BatchRequest body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, BatchUrl)
        {
            Content = JsonContent.Create(body, LfsJsonContext.Default.BatchRequest, new MediaTypeHeaderValue(LfsMediaTypes.Json)),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaTypes.Json));
        return request;
    }

    private async Task<BatchResponse> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        BatchResponse? parsed;
        try
        {
            parsed = await response.Content.ReadFromJsonAsync(LfsJsonContext.Default.BatchResponse, cancellationToken);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new BatchFailedException($"The LFS server at {BatchUrl} sent an invalid batch response: {ex.Message}");
        }
        if (parsed?.Objects is null)
        {
            throw new BatchFailedException($"The LFS server at {BatchUrl} sent a batch response without objects.");
        }
        if (parsed.HashAlgo is { Length: > 0 } algo && algo != LfsMediaTypes.HashAlgorithm)
        {
            throw new BatchFailedException($"The LFS server wants hash algorithm '{algo}'; only sha256 is supported.");
        }
        return parsed;
    }

    /// <summary>Turns a failed batch call into a sentence that says what went wrong and what to do.</summary>
    public async Task<string> DescribeAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        string? serverMessage = null;
        try
        {
            var error = await response.Content.ReadFromJsonAsync(LfsJsonContext.Default.LfsErrorResponse, cancellationToken);
            serverMessage = error?.Message;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not the LFS error format: fall back to the status code alone.
        }
        var code = (int)response.StatusCode;
        var hint = response.StatusCode switch
        {
            HttpStatusCode.Forbidden => operation == BatchOperations.Upload
                ? "you are not allowed to push LFS objects to this repository (403); ask for write access"
                : "you are not allowed to read this repository's LFS objects (403)",
            HttpStatusCode.NotFound => $"repository or LFS endpoint not found (404) at {BatchUrl}; check lfs.url or the remote URL",
            HttpStatusCode.TooManyRequests => "the server is rate limiting (429)",
            HttpStatusCode.InsufficientStorage => "the server is out of storage (507)",
            _ => $"the LFS server answered {code} {response.ReasonPhrase}",
        };
        return serverMessage is { Length: > 0 } ? $"{hint}: {serverMessage}" : hint;
    }
}

public sealed class BatchFailedException(string message) : LocalStorage.UserException(message);
