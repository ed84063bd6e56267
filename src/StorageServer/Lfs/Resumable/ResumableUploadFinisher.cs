using StorageServer.Objects;

namespace StorageServer.Lfs.Resumable;

/// <summary>
/// Turns a complete partial upload into the object through the same path as a basic PUT
/// (<see cref="ObjectUploadService.UploadAsync"/>): the store hashes and sizes the bytes, makes
/// them durable and renames them into place under the upload lease, then the claim is recorded.
/// Bytes that are not the object are discarded with the partial upload (400, start again);
/// a sweep in the way keeps them for the retry (429).
/// </summary>
public sealed class ResumableUploadFinisher(ObjectUploadService uploads, ILogger<ResumableUploadFinisher> logger)
{
    /// <summary>Null when the object is stored; otherwise the error to answer.</summary>
    public async Task<IResult?> FinishAsync(HttpContext context, ResumableUpload target, CancellationToken cancellationToken)
    {
        var upload = target.Upload!;
        UploadResult result;
        await using (var bytes = new FileStream(target.Store.PartPath(upload.Key), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            // The bytes are all here: finishing must not depend on the client staying connected.
            result = await uploads.UploadAsync(target.Repository.Id, target.Oid, target.Size, bytes, target.User, target.Ref, CancellationToken.None);
        }
        if (result.Outcome is UploadOutcome.Busy)
        {
            return LfsResults.TooManyRequests(5, "This object is being reclaimed by a retention sweep right now; retry in a few seconds.");
        }
        target.Store.TryDelete(upload.Key);
        if (result.Succeeded)
        {
            LfsLog.UploadFinished(logger, target.Oid.Value, target.Size, target.Repository.Name, target.User, "resumable-" + result.Outcome, 0, 0);
            return null;
        }
        LfsLog.UploadRejected(logger, target.Oid.Value, target.Size, target.Repository.Name, target.User, "resumable-" + result.Outcome, result.BytesReceived);
        return result.Outcome == UploadOutcome.Erased
            ? LfsResults.Error(StatusCodes.Status410Gone, LfsResults.ErasedUploadMessage)
            : LfsResults.Error(StatusCodes.Status400BadRequest, $"The uploaded bytes are not this object ({result.Outcome}); they were discarded. Upload it again from the start.");
    }
}
