using Microsoft.Extensions.Options;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;

namespace StorageServer.Lfs.Resumable;

/// <summary>
/// Negotiates the upload adapter of a batch: when the client offers <c>tus</c> (git storage for
/// large objects, git-lfs with <c>lfs.tustransfers</c>), the answer says <c>"transfer": "tus"</c>
/// and each upload action points at the object's resumable resource (same token, same verify
/// action). Everyone else, and direct (pre-signed) uploads, stay <c>basic</c>. An object larger
/// than a user may keep partially is never offered tus, so the batch falls back to basic.
/// </summary>
public sealed class ResumableTransfer(IOptions<ResumableUploadOptions> options, DirectTransfers direct)
{
    public const string Name = "tus";

    public (string Transfer, List<BatchResponseObject> Objects) Negotiate(BatchRequest request, List<BatchResponseObject> objects)
    {
        var settings = options.Value;
        var wanted = settings.Enabled && request.Operation == BatchOperations.Upload && direct.Store is null
            && (request.Transfers?.Contains(Name, StringComparer.Ordinal) ?? false)
            && objects.All(o => o.Actions?.Upload is null || o.Size <= settings.MaxBytesPerUser);
        if (!wanted)
        {
            return (LfsMediaTypes.BasicTransfer, objects);
        }
        return (Name, [.. objects.Select(o => o.Actions is { Upload: { } upload } actions
            ? o with { Actions = actions with { Upload = upload with { Href = upload.Href + "/resumable" } } }
            : o)]);
    }
}
