using System.Globalization;
using StorageServer.Auth;
using StorageServer.Objects;
using StorageServer.Repos;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Lfs.Resumable;

/// <summary>What a HEAD or PATCH of a resumable upload is about, once authorised.</summary>
/// <param name="Upload">The partial upload so far; null when none was started.</param>
/// <param name="AlreadyStored">This repository already claims the object, live, at that size.</param>
public sealed record ResumableUpload(RepositoryIdentity Repository, Oid Oid, long Size, string User, string? Ref, PartialUpload? Upload, bool AlreadyStored, PartialUploadStore Store);

/// <summary>
/// Authorises a resumable upload request as a PUT is authorised (<see cref="TransferAccess"/>),
/// takes the size from the transfer token (or <c>Upload-Length</c> with a credential), refuses
/// erased objects before any byte is stored, and finds the partial upload already begun.
/// </summary>
public sealed class ResumableUploadTarget(TransferAccess access, ObjectClaims claims, PartialUploadStore store)
{
    public async Task<(ResumableUpload? Target, IResult? Error)> ResolveAsync(HttpContext context, string oid, CancellationToken cancellationToken)
    {
        context.Response.Headers["Tus-Resumable"] = ResumableUploadEndpoints.TusVersion;
        if (!Oid.TryParse(oid, out var parsed))
        {
            return (null, LfsResults.Error(StatusCodes.Status400BadRequest, "Invalid object id: expected 64 lowercase hex characters (SHA-256)."));
        }
        var authorization = await access.AuthorizeAsync(context, parsed, TransferOperation.Upload, AccessLevel.Write, cancellationToken);
        if (authorization.Error is not null)
        {
            return (null, authorization.Error);
        }
        long? declared = long.TryParse(context.Request.Headers["Upload-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        if (authorization.Grant?.Size is { } announced && declared is { } d && d != announced)
        {
            return (null, LfsResults.Error(StatusCodes.Status400BadRequest, $"Upload-Length {d} differs from the size {announced} announced in the batch request."));
        }
        if ((authorization.Grant?.Size ?? declared) is not { } size)
        {
            return (null, LfsResults.Error(StatusCodes.Status400BadRequest, "Upload-Length is required: the object's size in bytes."));
        }
        if ((await claims.FindErasedAsync([parsed.Value], cancellationToken)).Count > 0)
        {
            return (null, LfsResults.Error(StatusCodes.Status410Gone, LfsResults.ErasedUploadMessage));
        }
        var repository = authorization.Repository!;
        var claim = await claims.FindAsync(repository.Id, parsed.Value, cancellationToken);
        var stored = claim is { State: ClaimState.Live } && claim.Size == size;
        var key = PartialUpload.KeyOf(repository.Name, parsed.Value, size, authorization.User);
        var upload = store.Find(key);
        return (new ResumableUpload(repository, parsed, size, authorization.User, authorization.Grant?.Ref, upload, stored, store), null);
    }
}
