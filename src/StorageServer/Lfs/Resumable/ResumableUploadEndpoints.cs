using System.Globalization;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.DiskSpace;
using StorageServer.Objects;
using StorageServer.RequestLimits;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Lfs.Resumable;

/// <summary>
/// The <c>tus</c> adapter's upload resource, <c>…/objects/{oid}/resumable</c> (tus.io 1.0 core, as
/// git-lfs's tq/tus_upload.go speaks it): <c>HEAD</c> answers <c>Upload-Offset</c>, the bytes held
/// so far; <c>PATCH</c> with <c>Upload-Offset</c> appends from there. Bytes of a dropped request
/// are kept. When the last byte arrives the whole object goes through the same store path as a PUT
/// (<see cref="ObjectUploadService"/>: SHA-256 and size checked, durable, renamed, upload lease
/// held, claim recorded); until then nothing is visible. Authorised like a PUT: the upload
/// transfer token from the batch (which fixes the size), or a write credential with <c>Upload-Length</c>.
/// </summary>
internal static class ResumableUploadEndpoints
{
    public const string TusVersion = "1.0.0";

    public static IEndpointRouteBuilder MapResumableUploads(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapLfsGroup();
        group.MapMethods("/objects/{oid}/resumable", [HttpMethods.Head], HeadAsync);
        group.MapMethods("/objects/{oid}/resumable", [HttpMethods.Patch], PatchAsync).WithRequestBody(RequestBodyKind.Streamed);
        return routes;
    }

    private static async Task<IResult> HeadAsync(string oid, HttpContext context, ResumableUploadTarget targets, ResumableUploadFinisher finisher, CancellationToken cancellationToken)
    {
        var (target, error) = await targets.ResolveAsync(context, oid, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        if (target!.AlreadyStored)
        {
            return Offset(context, target.Size);
        }
        // A partial upload that is complete but was not finished (a sweep was busy): finish it now.
        if (target.Upload is { } upload && target.Store.OffsetOf(upload.Key) == target.Size)
        {
            return await finisher.FinishAsync(context, target, cancellationToken) ?? Offset(context, target.Size);
        }
        return Offset(context, target.Upload is null ? 0 : target.Store.OffsetOf(target.Upload.Key));
    }

    private static async Task<IResult> PatchAsync(
        string oid, HttpContext context, ResumableUploadTarget targets, ResumableUploadFinisher finisher, IOptions<LfsOptions> lfs, DiskSpaceGuard disk,
        CancellationToken cancellationToken)
    {
        if (!long.TryParse(context.Request.Headers["Upload-Offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return LfsResults.Error(StatusCodes.Status400BadRequest, "Upload-Offset is required: the number of bytes the server already holds (ask with HEAD).");
        }
        if (context.Request.ContentType?.Split(';')[0].Trim() != "application/offset+octet-stream")
        {
            return LfsResults.Error(StatusCodes.Status415UnsupportedMediaType, "A resumable upload's PATCH must be sent as application/offset+octet-stream.");
        }
        var (target, error) = await targets.ResolveAsync(context, oid, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        if (target!.Size > lfs.Value.MaxObjectSize)
        {
            return LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"Object is larger than this server's limit of {lfs.Value.MaxObjectSize} bytes.");
        }
        if (target.AlreadyStored)
        {
            return Offset(context, target.Size);
        }
        if (!disk.HasRoomIn(target.Store.Root) || !disk.HasRoomForObject(target.Size))
        {
            // Like a PUT: before a byte is read, and the partial upload already held stays as it is.
            return InsufficientStorage.Result(disk);
        }
        var upload = target.Upload ?? await target.Store.ReserveAsync(target.Repository.Name, oid, target.Size, target.User, cancellationToken);
        if (upload is null)
        {
            return LfsResults.TooManyRequests(30, "You have as many unfinished resumable uploads as this server allows; finish them or wait for them to expire.");
        }
        if (context.Request.ContentLength is { } length && offset + length > target.Size)
        {
            return LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"Upload-Offset {offset} plus {length} bytes is more than the object's {target.Size} bytes.");
        }
        var appended = await PartialUploadWriter.AppendAsync(target.Store, upload, offset, target.Size, context, cancellationToken);
        if (appended.Error is not null)
        {
            return appended.Error;
        }
        target.Store.Touch(upload);
        if (appended.Offset < target.Size)
        {
            return Offset(context, appended.Offset);
        }
        return await finisher.FinishAsync(context, target with { Upload = upload }, cancellationToken) ?? Offset(context, target.Size);
    }

    /// <summary>tus's answer: 204 with where the upload stands (200 for HEAD).</summary>
    internal static IResult Offset(HttpContext context, long offset)
    {
        context.Response.Headers["Tus-Resumable"] = TusVersion;
        context.Response.Headers["Upload-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method) ? TypedResults.Ok() : TypedResults.NoContent();
    }
}
