using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Repos;

/// <summary>Outcome of a repository command: the repository, or why nothing changed.</summary>
public sealed record RepoCommandResult(Repository? Repository, string? Error, bool NotFound = false, bool Conflict = false);

/// <summary>
/// Creates repositories and changes their settings, for the admin API and the console alike;
/// every change is audited.
/// </summary>
public sealed class RepositoryService(StorageDbContext db, RepositoryProvisioner provisioner, AuditLog audit, TransferTokenParents transferParents)
{
    public const string InvalidNameMessage =
        "name must be owner/name: letters, digits, '-', '_' and '.', each part starting with a letter or digit, not ending in .git";

    public async Task<List<Repository>> ListAsync(CancellationToken cancellationToken) =>
        await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);

    public async Task<Repository?> FindAsync(string name, CancellationToken cancellationToken) =>
        await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == name, cancellationToken);

    public async Task<RepoCommandResult> CreateAsync(string? name, bool allowAnonymousRead, string actor, CancellationToken cancellationToken)
    {
        if (!RepoNames.IsValid(name))
        {
            return new RepoCommandResult(null, InvalidNameMessage);
        }
        var repository = await provisioner.CreateAsync(name, allowAnonymousRead, actor, cancellationToken);
        if (repository is null)
        {
            return new RepoCommandResult(null, $"Repository '{name}' already exists.", Conflict: true);
        }
        await audit.AppendAsync(actor, "repo.create", repository.Name, new { AllowAnonymousRead = allowAnonymousRead }, cancellationToken);
        return new RepoCommandResult(repository, null);
    }

    /// <summary>Switches anonymous read; audited with before and after when it changes.</summary>
    public async Task<RepoCommandResult> SetAnonymousReadAsync(string name, bool allow, string actor, CancellationToken cancellationToken)
    {
        var repository = await db.Repositories.SingleOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (repository is null)
        {
            return new RepoCommandResult(null, $"Repository '{name}' not found.", NotFound: true);
        }
        if (allow != repository.AllowAnonymousRead)
        {
            var before = repository.AllowAnonymousRead;
            repository.AllowAnonymousRead = allow;
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(actor, "repo.update", name, new { before = new { AllowAnonymousRead = before }, after = new { AllowAnonymousRead = allow } }, cancellationToken);
            // Anonymous transfer tokens of this repository end here at once (elsewhere within the cache time).
            transferParents.Forget(CredentialIds.Anonymous, name);
        }
        return new RepoCommandResult(repository, null);
    }
}
