using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Git;

namespace StorageServer.Repos;

/// <summary>Creates a repository: its metadata row and its bare git directory.</summary>
public sealed class RepositoryProvisioner(
    StorageDbContext db, GitProcess git, GitRepositoryLayout layout, IEnumerable<IRepositoryInitializer> initializers,
    TimeProvider clock, ILogger<RepositoryProvisioner> logger)
{
    /// <summary>Returns null when a repository of that name exists already.</summary>
    public async Task<Repository?> CreateAsync(string name, bool allowAnonymousRead, string createdBy, CancellationToken cancellationToken)
    {
        var repository = new Repository { Name = name, AllowAnonymousRead = allowAnonymousRead, CreatedAt = clock.GetUtcNow() };
        db.Repositories.Add(repository);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return null;
        }
        var path = layout.PathOf(name);
        // CancellationToken.None: once the row exists, the bare repository must exist too.
        (await git.RunAsync(null, ["init", "--bare", "--quiet", "--initial-branch=main", path], CancellationToken.None)).EnsureSuccess("init");
        foreach (var initializer in initializers)
        {
            await initializer.InitializeAsync(repository, path, CancellationToken.None);
        }
        logger.LogInformation("Repository {Repository} created by {User} at {Path}", name, createdBy, path);
        return repository;
    }
}

/// <summary>Extra set-up of a new bare repository (hooks, config), contributed by features.</summary>
public interface IRepositoryInitializer
{
    Task InitializeAsync(Repository repository, string gitDirectory, CancellationToken cancellationToken);
}
