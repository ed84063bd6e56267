using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using GitHooks.Api;
using GitHooks.LocalStorage;
using GitHooks.Progress;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

/// <summary>
/// Resumable upload, the <c>tus</c> adapter git-lfs knows (tq/tus_upload.go; tus.io 1.0 core):
/// <c>HEAD</c> the upload action's href for <c>Upload-Offset</c> (how much of the object the server
/// already holds, from this run or an earlier one), then one <c>PATCH</c> with the rest from that
/// offset. A dropped connection keeps what the server received; the retry asks again and sends only
/// the remainder. The server checks the SHA-256 of the whole object before it becomes visible.
/// </summary>
public sealed class ResumableUploadAdapter(LfsHttpClient http, LfsObjectStore store, TransferProgress progress, TimeProvider time) : ITransferAdapter
{
    public const string AdapterName = "tus";
    public const string TusVersion = "1.0.0";
    public const string OffsetContentType = "application/offset+octet-stream";

    public string Name => AdapterName;

    public string Operation => BatchOperations.Upload;

    public bool NothingToDo(BatchResponseObject answer) => answer.Actions?.Upload is null;

    public async Task TransferAsync(LfsPointer pointer, BatchResponseObject answer, CancellationToken cancellationToken)
    {
        var action = ActionRequests.UploadOf(answer, store, pointer);
        var credentials = ActionRequests.NeedsCredentials(answer, action);
        long counted = 0;
        try
        {
            var offset = await OffsetAsync(action, credentials, cancellationToken);
            counted = Math.Min(offset, pointer.Size);
            progress.AddBytes(counted);
            if (offset < pointer.Size)
            {
                await PatchAsync(pointer, action, offset, credentials, n => { counted += n; progress.AddBytes(n); }, cancellationToken);
            }
        }
        catch (HttpRequestException ex)
        {
            progress.AddBytes(-counted); // the retry asks the server how much it kept
            throw new TransferException($"upload interrupted after {counted} of {pointer.Size} bytes: {ex.Message}", retryable: true, inner: ex);
        }
        catch (TransferException)
        {
            progress.AddBytes(-counted);
            throw;
        }
        if (answer.Actions?.Verify is { } verify)
        {
            await VerifyAction.RunAsync(http, pointer, answer, verify, cancellationToken);
        }
    }

    private async Task<long> OffsetAsync(BatchAction action, bool credentials, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(() =>
        {
            var request = ActionRequests.Create(HttpMethod.Head, action);
            request.Headers.Add("Tus-Resumable", TusVersion);
            return request;
        }, credentials, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ActionRequests.FromStatus(response, "upload (asking where to resume)", time);
        }
        return response.Headers.TryGetValues("Upload-Offset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new TransferException("the server's resumable upload answer has no valid Upload-Offset; ask its admin, or run 'git config storage.resumableUploads false' to use plain uploads", retryable: false);
    }

    private async Task PatchAsync(LfsPointer pointer, BatchAction action, long offset, bool credentials, Action<int> onSent, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(() =>
        {
            var request = ActionRequests.Create(HttpMethod.Patch, action);
            request.Headers.Add("Tus-Resumable", TusVersion);
            request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
            var file = store.OpenForUpload(pointer.Oid);
            file.Seek(offset, SeekOrigin.Begin);
            request.Content = new StreamContent(new CountingReadStream(file, onSent), UploadAdapter.UploadBufferSize);
            request.Content.Headers.ContentLength = pointer.Size - offset;
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(OffsetContentType);
            return request;
        }, credentials, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            // The server holds a different amount than it said (another attempt was still landing): ask again.
            throw new TransferException("the server is at another offset of this upload", retryable: true, 409, TimeSpan.Zero);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw ActionRequests.FromStatus(response, "upload", time);
        }
    }
}
