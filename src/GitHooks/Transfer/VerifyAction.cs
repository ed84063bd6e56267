using System.Net.Http.Headers;
using System.Net.Http.Json;
using GitHooks.Api;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

/// <summary>The optional verify action after an upload: up to 3 attempts, back to back, as git-lfs makes them.</summary>
internal static class VerifyAction
{
    private const int MaxAttempts = 3;

    public static async Task RunAsync(LfsHttpClient http, LfsPointer pointer, BatchResponseObject answer, BatchAction verify, CancellationToken cancellationToken)
    {
        string failure = string.Empty;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                using var response = await http.SendAsync(() =>
                {
                    var request = ActionRequests.Create(HttpMethod.Post, verify);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaTypes.Json));
                    request.Content = JsonContent.Create(new VerifyRequest(pointer.Oid.Value, pointer.Size), LfsJsonContext.Default.VerifyRequest, new MediaTypeHeaderValue(LfsMediaTypes.Json));
                    return request;
                }, ActionRequests.NeedsCredentials(answer, verify), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                failure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
        }
        throw new TransferException($"the server did not verify the upload: {failure}", retryable: false);
    }
}
