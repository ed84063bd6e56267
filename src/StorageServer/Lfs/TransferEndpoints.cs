using System.Diagnostics;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.DiskSpace;
using StorageServer.Objects;
using StorageServer.Protocol;
using StorageServer.RequestLimits;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Lfs;

/// <summary>
/// The basic transfer adapter: <c>PUT</c> and <c>GET …/objects/{oid}</c>, and
/// <c>POST …/objects/{oid}/verify</c>.
/// </summary>
internal static class TransferEndpoints
{
    public static IEndpointRouteBuilder MapLfsTransfers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapLfsGroup();
        group.MapPut("/objects/{oid}", UploadAsync).WithRequestBody(RequestBodyKind.Streamed);
        group.MapGet("/objects/{oid}", DownloadAsync);
        group.MapPost("/objects/{oid}/verify", VerifyAsync);
        return routes;
    }

    /// <summary>
    /// The size to expect comes from the transfer token (the size the client announced in the
    /// batch), else from Content-Length; when both are present they must agree. So chunked
    /// uploads work with a transfer token, and credential uploads (curl) need Content-Length.
    /// Mismatches are 400, never 422: git-lfs retries 400 but gives up on 422 with a
    /// misleading hint about content types.
    /// </summary>
    private static async Task<IResult> UploadAsync(
        string oid, HttpContext context, TransferAccess access, ObjectUploadService uploads, IOptions<LfsOptions> options, DiskSpaceGuard disk,
        ILogger<ObjectUploadService> logger, CancellationToken cancellationToken)
    {
        if (!Oid.TryParse(oid, out var parsed))
        {
            return LfsResults.Error(StatusCodes.Status400BadRequest, "Invalid object id: expected 64 lowercase hex characters (SHA-256).");
        }
        var authorization = await access.AuthorizeAsync(context, parsed, TransferOperation.Upload, AccessLevel.Write, cancellationToken);
        if (authorization.Error is not null)
        {
            return authorization.Error;
        }
        var announced = authorization.Grant?.Size;
        var contentLength = context.Request.ContentLength;
        if (announced is { } a && contentLength is { } c && a != c)
        {
            return LfsResults.Error(StatusCodes.Status400BadRequest, $"Content-Length {c} differs from the size {a} announced in the batch request.");
        }
        if ((announced ?? contentLength) is not { } size)
        {
            return LfsResults.Error(StatusCodes.Status411LengthRequired, "Content-Length is required.");
        }
        if (size > options.Value.MaxObjectSize)
        {
            return LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"Object is larger than this server's limit of {options.Value.MaxObjectSize} bytes.");
        }
        if (!disk.HasRoomForObject(size))
        {
            // Before the lease and before a byte is read: nothing is written for a full disk.
            return InsufficientStorage.Result(disk);
        }
        var repository = authorization.Repository!;
        var started = Stopwatch.GetTimestamp();
        var result = await uploads.UploadAsync(repository.Id, parsed, size, context.Request.Body, authorization.User, authorization.Grant?.Ref, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!result.Succeeded)
        {
            LfsLog.UploadRejected(logger, parsed.Value, size, repository.Name, authorization.User, result.Outcome.ToString(), result.BytesReceived);
        }
        else
        {
            LfsLog.UploadFinished(logger, parsed.Value, size, repository.Name, authorization.User, result.Outcome.ToString(),
                (long)elapsed.TotalMilliseconds, LfsLog.BytesPerSecond(size, elapsed));
        }
        return result.Outcome switch
        {
            UploadOutcome.Stored or UploadOutcome.AlreadyStored => LfsResults.Ok(),
            UploadOutcome.SizeMismatch => LfsResults.Error(StatusCodes.Status400BadRequest,
                $"Size mismatch: expected {size} bytes, received {(result.BytesReceived > size ? "more" : result.BytesReceived.ToString(System.Globalization.CultureInfo.InvariantCulture))}. Nothing was stored."),
            UploadOutcome.HashMismatch => LfsResults.Error(StatusCodes.Status400BadRequest, "Hash mismatch: the content's SHA-256 is not the object id. Nothing was stored."),
            UploadOutcome.Busy => SweepBusy(),
            _ => LfsResults.Error(StatusCodes.Status410Gone, LfsResults.ErasedUploadMessage),
        };
    }

    private static async Task<IResult> DownloadAsync(
        string oid, HttpContext context, TransferAccess access, ObjectClaims claims, IObjectStore store,
        ILogger<ObjectClaims> logger, CancellationToken cancellationToken)
    {
        if (!Oid.TryParse(oid, out var parsed))
        {
            return LfsResults.Error(StatusCodes.Status404NotFound, "Object does not exist.");
        }
        var authorization = await access.AuthorizeAsync(context, parsed, TransferOperation.Download, AccessLevel.Read, cancellationToken);
        if (authorization.Error is not null)
        {
            return authorization.Error;
        }
        var repository = authorization.Repository!;
        var status = await claims.FindAsync(repository.Id, parsed.Value, cancellationToken);
        switch (status.State)
        {
            case ClaimState.Gone:
                return LfsResults.Error(StatusCodes.Status410Gone, LfsResults.RemovedMessage);
            case ClaimState.Erased:
                return LfsResults.Error(StatusCodes.Status410Gone, LfsResults.ErasedMessage);
            case not ClaimState.Live:
                return LfsResults.Error(StatusCodes.Status404NotFound, "Object does not exist.");
        }
        if (ObjectBytes.Serve(store, parsed, status.Size) is not { } bytes)
        {
            LfsLog.ObjectMissingFromStore(logger, parsed.Value, store.Name);
            return LfsResults.Error(StatusCodes.Status404NotFound, "Object does not exist.");
        }
        return new LoggedDownload(bytes, parsed.Value, status.Size, repository.Name, authorization.User, logger);
    }

    private static IResult SweepBusy() =>
        LfsResults.TooManyRequests(5, "This object is being reclaimed by a retention sweep right now; retry in a few seconds.");

    /// <summary>200 when this repository claims a live object of that size, 404 when not, 422 for a wrong size or body.</summary>
    private static async Task<IResult> VerifyAsync(
        string oid, HttpContext context, TransferAccess access, ObjectClaims claims, DirectTransfers direct, ObjectUploadService uploads,
        IOptions<LfsOptions> options, CancellationToken cancellationToken)
    {
        if (!Oid.TryParse(oid, out var parsed))
        {
            return LfsResults.Error(StatusCodes.Status422UnprocessableEntity, "Invalid object id: expected 64 lowercase hex characters (SHA-256).");
        }
        var directUpload = context.Request.Query[DirectTransfers.UploadQuery].ToString();
        // Verify reveals no more than a download would, so Read is enough for a credential; finishing
        // a direct upload creates a claim, which needs Write.
        var level = directUpload.Length > 0 ? AccessLevel.Write : AccessLevel.Read;
        var authorization = await access.AuthorizeAsync(context, parsed, TransferOperation.Verify, level, cancellationToken);
        if (authorization.Error is not null)
        {
            return authorization.Error;
        }
        if (LfsJsonBody.RequireJsonContentType(context.Request) is { } unsupported)
        {
            return unsupported;
        }
        var (body, error) = await LfsJsonBody.ReadAsync(context.Request, LfsJsonContext.Default.VerifyRequest, options.Value.MaxJsonBodyBytes, cancellationToken);
        if (error is not null || body!.Oid != parsed.Value || body.Size < 0)
        {
            return LfsResults.Error(StatusCodes.Status422UnprocessableEntity, "The body must name this object's oid and a non-negative size.");
        }
        if (directUpload.Length > 0 && direct.Store is { } store)
        {
            var completed = await uploads.CompleteDirectUploadAsync(store, authorization.Repository!.Id, parsed, body.Size, directUpload, authorization.User, cancellationToken);
            if (completed is { Outcome: not (UploadOutcome.Stored or UploadOutcome.AlreadyStored) } failed)
            {
                return failed.Outcome switch
                {
                    UploadOutcome.Erased => LfsResults.Error(StatusCodes.Status410Gone, LfsResults.ErasedUploadMessage),
                    UploadOutcome.Busy => SweepBusy(),
                    _ => LfsResults.Error(StatusCodes.Status422UnprocessableEntity, $"The uploaded bytes are not this object ({failed.Outcome}); they were discarded."),
                };
            }
        }
        var status = await claims.FindAsync(authorization.Repository!.Id, parsed.Value, cancellationToken);
        if (status.State != ClaimState.Live)
        {
            return LfsResults.Error(StatusCodes.Status404NotFound, "Object does not exist.");
        }
        return status.Size == body.Size
            ? LfsResults.Ok()
            : LfsResults.Error(StatusCodes.Status422UnprocessableEntity, $"Size mismatch: the stored object is {status.Size} bytes.");
    }

    private sealed class LoggedDownload(IResult inner, string oid, long size, string repository, string user, ILogger logger) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var started = Stopwatch.GetTimestamp();
            await inner.ExecuteAsync(httpContext);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var sent = httpContext.Response.ContentLength ?? 0;
            LfsLog.DownloadFinished(logger, oid, size, repository, user, httpContext.Response.StatusCode,
                (long)elapsed.TotalMilliseconds, LfsLog.BytesPerSecond(sent, elapsed));
        }
    }
}
