using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Repos;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Lfs;

/// <summary>The outcome of authorising one transfer: a repository and user, or an LFS error.</summary>
public sealed record TransferAuthorization(RepositoryIdentity? Repository, string User, TransferGrant? Grant, IResult? Error);

/// <summary>
/// Authorises PUT/GET/verify of one object. Two kinds of credentials work: the transfer token
/// from a batch action (it must name exactly this operation, repository and OID), or a normal
/// credential with the repository access level the operation needs (handy for curl).
/// A transfer token that is expired, tampered with or meant for something else gets 403:
/// git-lfs treats 403 on a transfer as an expired action and asks the batch API again.
/// </summary>
public sealed class TransferAccess(RepoAccess access, StorageDbContext db, RepositoryIdentities repositories)
{
    public async Task<TransferAuthorization> AuthorizeAsync(HttpContext context, Oid oid, TransferOperation operation, AccessLevel level, CancellationToken cancellationToken)
    {
        var repositoryName = LfsRoutes.RepositoryName(context);
        var secret = Credentials.ReadSecret(context.Request);
        if (secret is null || !secret.StartsWith(TransferTokens.Prefix, StringComparison.Ordinal))
        {
            var result = await access.AuthorizeAsync(context, repositoryName, level, cancellationToken);
            return result.Denial is { } denial
                ? Denied(LfsResults.Denied(denial))
                : new TransferAuthorization(new RepositoryIdentity(result.Repository!.Id, result.Repository.Name), context.User.UserName(), null, null);
        }
        // TokenAuthenticationHandler verified the token and left the grant; none means it failed.
        if (context.Features.Get<TransferGrant>() is not { } grant)
        {
            return Denied(LfsResults.Error(StatusCodes.Status403Forbidden, "The transfer token is invalid or expired; request a new one from the batch API."));
        }
        if (grant.Operation != operation || grant.Repository != repositoryName || grant.Oid != oid)
        {
            return Denied(LfsResults.Error(StatusCodes.Status403Forbidden, "The transfer token was issued for another operation, repository or object."));
        }
        var repository = await repositories.FindAsync(db, repositoryName, cancellationToken);
        return repository is null
            ? Denied(LfsResults.Denied(AccessDenial.NotFound))
            : new TransferAuthorization(repository, grant.User, grant, null);
    }

    private static TransferAuthorization Denied(IResult error) => new(null, string.Empty, null, error);
}
