using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using GitHooks.Api;
using StorageServer.Protocol;
using StorageServer.Protocol.Locks;

namespace GitHooks.Locking;

/// <summary>
/// The Git LFS file locking API (docs/api/locking.md) under the push endpoint: create, list
/// (following <c>next_cursor</c>), verify (ours/theirs) and unlock. Failures become
/// <see cref="LockApiException"/> with the server's message and status.
/// </summary>
public sealed class LockClient(LfsHttpClient http, Uri endpoint)
{
    private string Base => endpoint.AbsoluteUri.TrimEnd('/');

    public async Task<LfsLock> CreateAsync(string path, string? refName, CancellationToken cancellationToken)
    {
        var body = new CreateLockRequest(path, refName is null ? null : new LfsRef(refName));
        var response = await SendAsync<LockResponse>(HttpMethod.Post, "/locks", Json(body, LfsJsonContext.Default.CreateLockRequest), LfsJsonContext.Default.LockResponse, cancellationToken);
        return response.Lock;
    }

    public async Task<List<LfsLock>> ListAsync(string? path, string? id, string? refspec, int? limit, CancellationToken cancellationToken)
    {
        var locks = new List<LfsLock>();
        string? cursor = null;
        do
        {
            var query = new List<string>();
            Add(query, "path", path);
            Add(query, "id", id);
            Add(query, "refspec", refspec);
            Add(query, "cursor", cursor);
            Add(query, "limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var page = await SendAsync<LockListResponse>(HttpMethod.Get, "/locks" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), null, LfsJsonContext.Default.LockListResponse, cancellationToken);
            locks.AddRange(page.Locks ?? []);
            cursor = page.NextCursor is { Length: > 0 } next && (limit is null || locks.Count < limit) ? next : null;
        }
        while (cursor is not null);
        return limit is { } max ? [.. locks.Take(max)] : locks;
    }

    public async Task<(List<LfsLock> Ours, List<LfsLock> Theirs)> VerifyAsync(string? refName, CancellationToken cancellationToken)
    {
        List<LfsLock> ours = [], theirs = [];
        string? cursor = null;
        do
        {
            var body = new VerifyLocksRequest(refName is null ? null : new LfsRef(refName), cursor, null);
            var page = await SendAsync<VerifyLocksResponse>(HttpMethod.Post, "/locks/verify", Json(body, LfsJsonContext.Default.VerifyLocksRequest), LfsJsonContext.Default.VerifyLocksResponse, cancellationToken);
            ours.AddRange(page.Ours ?? []);
            theirs.AddRange(page.Theirs ?? []);
            cursor = page.NextCursor is { Length: > 0 } next ? next : null;
        }
        while (cursor is not null);
        return (ours, theirs);
    }

    public async Task<LfsLock> UnlockAsync(string id, bool force, string? refName, CancellationToken cancellationToken)
    {
        var body = new UnlockRequest(force, refName is null ? null : new LfsRef(refName));
        var response = await SendAsync<LockResponse>(HttpMethod.Post, $"/locks/{Uri.EscapeDataString(id)}/unlock", Json(body, LfsJsonContext.Default.UnlockRequest), LfsJsonContext.Default.LockResponse, cancellationToken);
        return response.Lock;
    }

    private static byte[] Json<TBody>(TBody body, JsonTypeInfo<TBody> type) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, type);

    private static void Add(List<string> query, string key, string? value)
    {
        if (value is { Length: > 0 })
        {
            query.Add($"{key}={Uri.EscapeDataString(value)}");
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(() =>
            {
                var request = new HttpRequestMessage(method, Base + path);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(LfsMediaTypes.Json);
                }
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaTypes.Json));
                return request;
            }, allowCredentials: true, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new LockApiException($"cannot reach the LFS server at {endpoint.GetLeftPart(UriPartial.Authority)} ({ex.Message})", null, null);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync(type, cancellationToken) ?? throw new LockApiException("the server sent an empty answer", (int)response.StatusCode, null);
            }
            string? message = null;
            LfsLock? existing = null;
            try
            {
                var error = await response.Content.ReadFromJsonAsync(LfsJsonContext.Default.LockResponse, cancellationToken);
                message = error?.Message;
                existing = error?.Lock;
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
            {
                // Not the lock format (a plain LFS error, or HTML from a proxy): use the status alone.
            }
            message ??= response.StatusCode switch
            {
                HttpStatusCode.Forbidden => "you are not allowed to do this (403)",
                HttpStatusCode.NotFound => "not found (404)",
                _ => $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}",
            };
            throw new LockApiException(message, (int)response.StatusCode, existing);
        }
    }
}

/// <summary>A failed lock API call: the server's message, its status (null: no answer), and the lock in the way (409).</summary>
public sealed class LockApiException(string message, int? status, LfsLock? existing) : LocalStorage.UserException(message)
{
    public int? Status { get; } = status;

    public LfsLock? Existing { get; } = existing;

    /// <summary>404 and 501 mean the server has no locking API (git-lfs turns verification off then).</summary>
    public bool NotSupported => Status is 404 or 501;
}
