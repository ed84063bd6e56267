using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Protocol.Batch;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Lfs;

/// <summary>
/// Direct transfers (<c>ObjectStore:S3:DirectTransfers</c>): rewrites a batch answer's download
/// and upload actions into pre-signed bucket URLs. No Authorization header goes to the bucket
/// (the signature is in the URL; <c>authenticated: true</c> stops git-lfs adding credentials).
/// The verify action still comes here, with the staging upload's id in its query: only that
/// call, after checking the bytes, makes the object exist. The query id is not signed; it can
/// only name another staging key, whose bytes are checked just the same.
/// </summary>
public sealed class DirectTransfers(IObjectStore store, IOptions<LfsOptions> lfs)
{
    public const string UploadQuery = "upload";

    public IPresignedTransferStore? Store => store as IPresignedTransferStore is { DirectTransfersEnabled: true } direct ? direct : null;

    public async Task<List<BatchResponseObject>> RewriteAsync(List<BatchResponseObject> objects, CancellationToken cancellationToken)
    {
        if (Store is not { } direct)
        {
            return objects;
        }
        var lifetime = lfs.Value.TransferTokenLifetime;
        var rewritten = new List<BatchResponseObject>(objects.Count);
        foreach (var item in objects)
        {
            if (item.Actions is not { } actions || !Oid.TryParse(item.Oid, out var oid))
            {
                rewritten.Add(item);
                continue;
            }
            if (actions.Download is not null)
            {
                var get = await direct.CreateDownloadAsync(oid, lifetime, cancellationToken);
                rewritten.Add(item with { Actions = actions with { Download = Action(get, lifetime) } });
            }
            else if (actions is { Upload: not null, Verify: { } verify } && item.Size <= direct.MaxDirectUploadSize)
            {
                var put = await direct.CreateUploadAsync(oid, item.Size, lifetime, cancellationToken);
                rewritten.Add(item with
                {
                    Actions = actions with
                    {
                        Upload = Action(put, lifetime),
                        Verify = verify with { Href = $"{verify.Href}?{UploadQuery}={put.UploadId}" },
                    },
                });
            }
            else
            {
                rewritten.Add(item);
            }
        }
        return rewritten;
    }

    private static BatchAction Action(PresignedRequest request, TimeSpan lifetime) => new(request.Url.AbsoluteUri)
    {
        Header = request.Headers.Count == 0 ? null : request.Headers,
        ExpiresIn = (long)lifetime.TotalSeconds,
    };
}
