using System.Net.Http.Headers;
using StorageServer.Protocol.Batch;

namespace GitHooks.Transfer;

/// <summary>Builds requests for batch actions: the action's own headers are honoured verbatim.</summary>
public static class ActionRequests
{
    public static HttpRequestMessage Create(HttpMethod method, BatchAction action)
    {
        var request = new HttpRequestMessage(method, action.Href);
        foreach (var (name, value) in action.Header ?? new Dictionary<string, string>())
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(value);
            }
            else if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    /// <summary>The upload action of an answer, once it is clear the object can be sent from the local cache.</summary>
    public static BatchAction UploadOf(BatchResponseObject answer, LocalStorage.LfsObjectStore store, StorageServer.Protocol.Pointers.LfsPointer pointer)
    {
        var action = answer.Actions?.Upload ?? throw new TransferException("the server gave no upload action", retryable: false);
        return store.Contains(pointer)
            ? action
            : throw new TransferException($"the object is not in the local cache ({store.ObjectPath(pointer.Oid)}); run 'git storage fetch --all' first", retryable: false);
    }

    /// <summary>git-lfs sends our own credentials only when the action brings no auth of its own.</summary>
    public static bool NeedsCredentials(BatchResponseObject answer, BatchAction action) =>
        answer.Authenticated != true
        && !(action.Header?.Keys.Any(k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) ?? false);

    public static TransferException FromStatus(HttpResponseMessage response, string what, TimeProvider time)
    {
        var code = (int)response.StatusCode;
        return code switch
        {
            404 => new TransferException($"{what}: object not found on the server (404)", retryable: false, code),
            410 => new TransferException($"{what}: object is gone from the server (410: removed by a retention policy or erased under a data-protection request)", retryable: false, code),
            422 => new TransferException($"{what}: the server rejected the object (422)", retryable: false, code),
            429 => new TransferException($"{what}: rate limited (429)", retryable: true, code, Api.RetryPolicy.ParseRetryAfter(response, time.GetUtcNow())),
            _ => new TransferException($"{what}: the server answered {code} {response.ReasonPhrase}", retryable: true, code),
        };
    }
}
