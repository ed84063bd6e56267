using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Repos;

namespace StorageServer.Admin;

/// <summary><c>/api/repos</c>: create, list and look up hosted repositories.</summary>
public static class RepoEndpoints
{
    public static RouteGroupBuilder MapRepoEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/repos").RequireServerAdmin().WithTags("Repositories");
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{owner}/{name}", GetAsync);
        group.MapPatch("/{owner}/{name}", UpdateAsync);
        return group;
    }

    private static async Task<Results<Created<RepoResponse>, BadRequest<ApiError>, Conflict<ApiError>>> CreateAsync(
        CreateRepoRequest request, RepositoryProvisioner provisioner, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (!RepoNames.IsValid(request.Name))
        {
            return TypedResults.BadRequest(new ApiError("name must be owner/name: letters, digits, '-', '_' and '.', each part starting with a letter or digit, not ending in .git"));
        }
        var repository = await provisioner.CreateAsync(request.Name, request.AllowAnonymousRead, context.User.UserName(), cancellationToken);
        if (repository is null)
        {
            return TypedResults.Conflict(new ApiError($"Repository '{request.Name}' already exists."));
        }
        await audit.AppendAsync(context.User.UserName(), "repo.create", repository.Name, new { request.AllowAnonymousRead }, cancellationToken);
        return TypedResults.Created($"/api/repos/{repository.Name}", ToResponse(repository, context.Request));
    }

    private static async Task<Ok<List<RepoResponse>>> ListAsync(StorageDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(repositories.Select(r => ToResponse(r, context.Request)).ToList());
    }

    private static async Task<Results<Ok<RepoResponse>, NotFound<ApiError>>> GetAsync(
        string owner, string name, StorageDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var fullName = $"{owner}/{name}";
        var repository = await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == fullName, cancellationToken);
        return repository is null ? TypedResults.NotFound(new ApiError($"Repository '{fullName}' not found.")) : TypedResults.Ok(ToResponse(repository, context.Request));
    }

    private static async Task<Results<Ok<RepoResponse>, NotFound<ApiError>>> UpdateAsync(
        string owner, string name, UpdateRepoRequest request, StorageDbContext db, AuditLog audit, TransferTokenParents parents, HttpContext context,
        CancellationToken cancellationToken)
    {
        var fullName = $"{owner}/{name}";
        var repository = await db.Repositories.SingleOrDefaultAsync(r => r.Name == fullName, cancellationToken);
        if (repository is null)
        {
            return TypedResults.NotFound(new ApiError($"Repository '{fullName}' not found."));
        }
        if (request.AllowAnonymousRead is { } allow && allow != repository.AllowAnonymousRead)
        {
            var before = repository.AllowAnonymousRead;
            repository.AllowAnonymousRead = allow;
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(context.User.UserName(), "repo.update", fullName, new { before = new { AllowAnonymousRead = before }, after = new { AllowAnonymousRead = allow } }, cancellationToken);
            parents.Forget(CredentialIds.Anonymous, fullName);
        }
        return TypedResults.Ok(ToResponse(repository, context.Request));
    }

    private static RepoResponse ToResponse(Repository repository, HttpRequest request)
    {
        var git = $"{request.Scheme}://{request.Host}/{repository.Name}.git";
        return new RepoResponse(repository.Name, repository.AllowAnonymousRead, repository.CreatedAt, git, git + "/info/lfs");
    }
}
