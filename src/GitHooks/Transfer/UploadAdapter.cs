using System.Net.Http.Headers;
using GitHooks.Api;
using GitHooks.LocalStorage;
using GitHooks.Progress;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

/// <summary>
/// Basic upload: PUT the cached object, streamed from disk with its exact Content-Length, then
/// POST the verify action when the server gave one (up to 3 attempts, as git-lfs does).
/// </summary>
public sealed class UploadAdapter(LfsHttpClient http, LfsObjectStore store, TransferProgress progress, TimeProvider time) : ITransferAdapter
{
    /// <summary>How much of the file each write to the connection carries (fewer, larger reads and sends).</summary>
    public const int UploadBufferSize = 1 << 20;

    public string Operation => BatchOperations.Upload;

    public bool NothingToDo(BatchResponseObject answer) => answer.Actions?.Upload is null;

    public async Task TransferAsync(LfsPointer pointer, BatchResponseObject answer, CancellationToken cancellationToken)
    {
        var action = ActionRequests.UploadOf(answer, store, pointer);
        long sent = 0;
        try
        {
            using var response = await http.SendAsync(() =>
            {
                var request = ActionRequests.Create(HttpMethod.Put, action);
                var file = store.OpenForUpload(pointer.Oid);
                request.Content = new StreamContent(new CountingReadStream(file, n => { sent += n; progress.AddBytes(n); }), UploadBufferSize);
                request.Content.Headers.ContentLength = pointer.Size;
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(LfsMediaTypes.OctetStream);
                return request;
            }, ActionRequests.NeedsCredentials(answer, action), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ActionRequests.FromStatus(response, "upload", time);
            }
        }
        catch (HttpRequestException ex)
        {
            progress.AddBytes(-sent); // the retry sends the whole object again
            throw new TransferException($"upload interrupted: {ex.Message}", retryable: true, inner: ex);
        }
        if (answer.Actions?.Verify is { } verify)
        {
            await VerifyAction.RunAsync(http, pointer, answer, verify, cancellationToken);
        }
    }
}
