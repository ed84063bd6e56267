using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Repos;

namespace StorageServer.Auth;

/// <summary>
/// Decides whether the current request may act on a repository at a given level. The answer
/// is protocol-neutral; LFS and git endpoints render a denial in their own formats.
/// Unknown repositories and ones the caller cannot read look the same (404), so a token
/// never learns which repositories exist beyond its scopes.
/// </summary>
public sealed class RepoAccess(StorageDbContext db)
{
    public async Task<RepoAccessResult> AuthorizeAsync(HttpContext context, string? repositoryName, AccessLevel required, CancellationToken cancellationToken)
    {
        var user = context.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        if (repositoryName is null)
        {
            return authenticated ? RepoAccessResult.Denied(AccessDenial.NotFound) : RepoAccessResult.Denied(AccessDenial.Unauthenticated);
        }
        var repository = await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == repositoryName, cancellationToken);
        var level = authenticated ? user.LevelIn(repositoryName) : AccessLevel.None;
        if (repository is { AllowAnonymousRead: true } && level < AccessLevel.Read)
        {
            level = AccessLevel.Read;
        }
        if (repository is not null && level >= required)
        {
            return new RepoAccessResult(repository, null, level);
        }
        if (!authenticated && (repository is null || required > AccessLevel.Read || !repository.AllowAnonymousRead))
        {
            // Ask for credentials before saying anything about the repository.
            return RepoAccessResult.Denied(AccessDenial.Unauthenticated);
        }
        return repository is null || level < AccessLevel.Read
            ? RepoAccessResult.Denied(AccessDenial.NotFound)
            : RepoAccessResult.Denied(AccessDenial.Forbidden);
    }
}

public sealed record RepoAccessResult(Repository? Repository, AccessDenial? Denial, AccessLevel Level)
{
    public static RepoAccessResult Denied(AccessDenial denial) => new(null, denial, AccessLevel.None);
}

public enum AccessDenial
{
    /// <summary>No valid credentials: 401 with a challenge.</summary>
    Unauthenticated,

    /// <summary>Can read but not do this: 403.</summary>
    Forbidden,

    /// <summary>Unknown or invisible repository: 404.</summary>
    NotFound,
}
