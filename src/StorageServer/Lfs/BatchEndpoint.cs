using System.Diagnostics;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.Erasure;
using StorageServer.Objects;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Lfs;

/// <summary>
/// <c>POST …/info/lfs/objects/batch</c>. Answers exactly one entry per requested object, echoing
/// its oid and size (git-lfs 3.3 waits forever for a missing one). Whole-request errors: 400
/// malformed body, 413 too large or too many objects, 422 unknown operation or no objects list.
/// Per-object errors: 422 invalid oid or size, 409 a hash algorithm other than sha256 (the
/// spec's code for exactly that, and it keeps the one-entry-per-object rule), 404 not claimed
/// here, 410 claimed but deliberately removed.
/// </summary>
internal static class BatchEndpoint
{
    public static IEndpointRouteBuilder MapLfsBatch(this IEndpointRouteBuilder routes)
    {
        routes.MapLfsGroup().MapPost("/objects/batch", HandleAsync);
        return routes;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, RepoAccess access, ObjectClaims claims, TransferLinks links, DirectTransfers direct, IOptions<LfsOptions> options,
        ErasedUploadRefusals refusals, Resumable.ResumableTransfer resumable,
        ILogger<BatchRequest> logger, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var limits = options.Value;
        // Before the body: anyone who may not even read the repository is refused without a byte
        // of it read (401 for strangers). Whether the operation needs more is known after it.
        var repositoryName = LfsRoutes.RepositoryName(context);
        var visible = await access.AuthorizeAsync(context, repositoryName, AccessLevel.Read, cancellationToken);
        if (visible.Denial is { } hidden)
        {
            return LfsResults.Denied(hidden);
        }
        var (request, error) = await LfsJsonBody.ReadAsync(context.Request, LfsJsonContext.Default.BatchRequest, limits.MaxJsonBodyBytes, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        AccessLevel? level = request!.Operation switch
        {
            BatchOperations.Download => AccessLevel.Read,
            BatchOperations.Upload => AccessLevel.Write,
            _ => null,
        };
        if (level is null)
        {
            return LfsResults.Error(StatusCodes.Status422UnprocessableEntity, $"Unknown operation '{request.Operation}'; expected 'download' or 'upload'.");
        }
        if (request.Objects is null)
        {
            return LfsResults.Error(StatusCodes.Status422UnprocessableEntity, "The request has no 'objects' list.");
        }
        var authorization = visible.Level >= level.Value ? visible : await access.AuthorizeAsync(context, repositoryName, level.Value, cancellationToken);
        if (authorization.Denial is { } denial)
        {
            return LfsResults.Denied(denial);
        }
        if (request.Objects.Count > limits.MaxBatchObjects)
        {
            return LfsResults.Error(StatusCodes.Status413PayloadTooLarge, $"At most {limits.MaxBatchObjects} objects per batch request.");
        }

        var repository = authorization.Repository!;
        var user = context.User.UserName();
        var upload = request.Operation == BatchOperations.Upload;
        var hashAccepted = request.HashAlgo is null || request.HashAlgo == LfsMediaTypes.HashAlgorithm;
        var valid = request.Objects.Where(o => o is not null && Oid.IsValid(o.Oid)).Select(o => o!.Oid!).Distinct(StringComparer.Ordinal).ToList();
        var claimed = await claims.FindAsync(repository.Id, valid, cancellationToken);
        var erased = upload ? await claims.FindErasedAsync(valid, cancellationToken) : [];
        if (erased.Count > 0)
        {
            await refusals.RecordAsync(repository.Name, user, erased, cancellationToken);
        }
        var gitRef = request.Ref?.Name is { Length: > 0 and <= 1024 } name && !name.Contains('\n', StringComparison.Ordinal) ? name : null;

        var objects = new List<BatchResponseObject>(request.Objects.Count);
        foreach (var item in request.Objects)
        {
            // The response schema forbids negative sizes; a negative one is echoed as 0 next to its 422.
            var echo = new BatchResponseObject(item?.Oid ?? string.Empty, Math.Max(0, item?.Size ?? 0));
            objects.Add(Validate(item, hashAccepted, limits.MaxObjectSize) is { } invalid
                ? echo with { Error = invalid }
                : upload
                    ? PlanUpload(echo, claimed, erased, context.Request, links, repository.Name, user, gitRef, direct.Store is not null)
                    : PlanDownload(echo, claimed, context.Request, links, repository.Name, user));
        }
        objects = await direct.RewriteAsync(objects, cancellationToken);
        var (transfer, negotiated) = resumable.Negotiate(request, objects);
        LfsLog.BatchAnswered(logger, request.Operation!, objects.Count, repository.Name, user, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return LfsResults.Json(new BatchResponse(negotiated) { Transfer = transfer }, LfsJsonContext.Default.BatchResponse);
    }

    private static ObjectError? Validate(BatchRequestObject? item, bool hashAccepted, long maxObjectSize)
    {
        if (item is null || !Oid.IsValid(item.Oid))
        {
            return new ObjectError(StatusCodes.Status422UnprocessableEntity, "Invalid object id: expected 64 lowercase hex characters (SHA-256).");
        }
        if (item.Size < 0)
        {
            return new ObjectError(StatusCodes.Status422UnprocessableEntity, "Invalid size: must not be negative.");
        }
        if (item.Size > maxObjectSize)
        {
            return new ObjectError(StatusCodes.Status422UnprocessableEntity, $"Object is larger than this server's limit of {maxObjectSize} bytes.");
        }
        return hashAccepted ? null : new ObjectError(StatusCodes.Status409Conflict, "Only the sha256 hash algorithm is supported.");
    }

    private static BatchResponseObject PlanDownload(
        BatchResponseObject echo, Dictionary<string, ClaimStatus> claimed, HttpRequest request, TransferLinks links, string repository, string user)
    {
        var status = claimed.GetValueOrDefault(echo.Oid, new ClaimStatus(ClaimState.Missing, 0));
        return status.State switch
        {
            ClaimState.Live when status.Size != echo.Size => echo with
            {
                Error = new ObjectError(StatusCodes.Status422UnprocessableEntity, $"Size mismatch: the object is {status.Size} bytes."),
            },
            ClaimState.Live => echo with
            {
                Authenticated = true,
                Actions = new BatchActions { Download = links.Create(request, repository, Oid.Parse(echo.Oid), TransferOperation.Download, user, echo.Size, null) },
            },
            ClaimState.Gone => echo with { Error = new ObjectError(StatusCodes.Status410Gone, LfsResults.RemovedMessage) },
            ClaimState.Erased => echo with { Error = new ObjectError(StatusCodes.Status410Gone, LfsResults.ErasedMessage) },
            _ => echo with { Error = new ObjectError(StatusCodes.Status404NotFound, "Object does not exist.") },
        };
    }

    private static BatchResponseObject PlanUpload(
        BatchResponseObject echo, Dictionary<string, ClaimStatus> claimed, HashSet<string> erased, HttpRequest request, TransferLinks links,
        string repository, string user, string? gitRef, bool directTransfers)
    {
        if (erased.Contains(echo.Oid))
        {
            return echo with { Error = new ObjectError(StatusCodes.Status410Gone, LfsResults.ErasedUploadMessage) };
        }
        if (claimed.TryGetValue(echo.Oid, out var status) && status.State == ClaimState.Live && status.Size == echo.Size)
        {
            return echo; // Already here for this repository: no actions, the client skips it.
        }
        // Proof of possession: even an object stored for another repository must be sent again.
        // No verify action for a PUT through this server: its 200 already means hashed, fsynced and
        // claimed, and git-lfs sends a verify POST per object when offered one (a second request per
        // object for nothing). Only a direct upload to the bucket needs one: that call makes it exist.
        var oid = Oid.Parse(echo.Oid);
        return echo with
        {
            Authenticated = true,
            Actions = new BatchActions
            {
                Upload = links.Create(request, repository, oid, TransferOperation.Upload, user, echo.Size, gitRef),
                Verify = directTransfers ? links.Create(request, repository, oid, TransferOperation.Verify, user, echo.Size, null) : null,
            },
        };
    }
}
