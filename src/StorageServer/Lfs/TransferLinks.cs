using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.Protocol.Batch;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Lfs;

/// <summary>
/// Builds batch actions: an absolute href (from <c>StorageServer:PublicUrl</c> when set,
/// otherwise the request's own scheme and host; forwarded headers are not trusted) and a
/// signed transfer token in the <c>Authorization</c> header, so the client never meets a 401
/// on a transfer URL.
/// </summary>
public sealed class TransferLinks(TransferTokens tokens, IOptions<LfsOptions> lfs, IOptions<StorageServerOptions> server, TimeProvider clock)
{
    public BatchAction Create(HttpRequest request, string repository, Oid oid, TransferOperation operation, string user, long size, string? gitRef)
    {
        var principal = request.HttpContext.User;
        var now = clock.GetUtcNow();
        // Never outlive the credential itself (a JWT, an expiring token); revocation is checked at use.
        var expiresAt = now + lfs.Value.TransferTokenLifetime;
        if (CredentialIds.ExpiryOf(principal) is { } credentialExpires && credentialExpires < expiresAt)
        {
            expiresAt = credentialExpires;
        }
        var lifetime = expiresAt - now;
        var grant = new TransferGrant(operation, repository, oid, user, expiresAt, CredentialIds.Of(principal),
            operation == TransferOperation.Upload ? size : null,
            operation == TransferOperation.Upload ? gitRef : null);
        var suffix = operation == TransferOperation.Verify ? "/verify" : string.Empty;
        return new BatchAction($"{BaseUrl(request)}/{repository}.git/info/lfs/objects/{oid.Value}{suffix}")
        {
            Header = new Dictionary<string, string>(StringComparer.Ordinal) { ["Authorization"] = "Bearer " + tokens.Issue(grant) },
            ExpiresIn = Math.Max(0, (long)lifetime.TotalSeconds),
        };
    }

    private string BaseUrl(HttpRequest request) =>
        server.Value.PublicUrl is { } publicUrl
            ? publicUrl.AbsoluteUri.TrimEnd('/')
            : $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
}
