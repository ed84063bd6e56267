using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Auth;
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
        CreateRepoRequest request, RepositoryService repositories, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await repositories.CreateAsync(request.Name, request.AllowAnonymousRead, context.User.UserName(), cancellationToken);
        if (result.Repository is not { } repository)
        {
            return result.Conflict ? TypedResults.Conflict(new ApiError(result.Error!)) : TypedResults.BadRequest(new ApiError(result.Error!));
        }
        return TypedResults.Created($"/api/repos/{repository.Name}", ToResponse(repository, context.Request));
    }

    private static async Task<Ok<List<RepoResponse>>> ListAsync(RepositoryService repositories, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok((await repositories.ListAsync(cancellationToken)).Select(r => ToResponse(r, context.Request)).ToList());

    private static async Task<Results<Ok<RepoResponse>, NotFound<ApiError>>> GetAsync(
        string owner, string name, RepositoryService repositories, HttpContext context, CancellationToken cancellationToken)
    {
        var fullName = $"{owner}/{name}";
        var repository = await repositories.FindAsync(fullName, cancellationToken);
        return repository is null ? TypedResults.NotFound(new ApiError($"Repository '{fullName}' not found.")) : TypedResults.Ok(ToResponse(repository, context.Request));
    }

    private static async Task<Results<Ok<RepoResponse>, NotFound<ApiError>>> UpdateAsync(
        string owner, string name, UpdateRepoRequest request, RepositoryService repositories, HttpContext context, CancellationToken cancellationToken)
    {
        var fullName = $"{owner}/{name}";
        var result = request.AllowAnonymousRead is { } allow
            ? await repositories.SetAnonymousReadAsync(fullName, allow, context.User.UserName(), cancellationToken)
            : new RepoCommandResult(await repositories.FindAsync(fullName, cancellationToken), $"Repository '{fullName}' not found.");
        return result.Repository is { } repository
            ? TypedResults.Ok(ToResponse(repository, context.Request))
            : TypedResults.NotFound(new ApiError(result.Error!));
    }

    /// <summary>Clone URLs as the caller reached this server.</summary>
    public static RepoResponse ToResponse(Repository repository, HttpRequest request)
    {
        var git = $"{request.Scheme}://{request.Host}/{repository.Name}.git";
        return new RepoResponse(repository.Name, repository.AllowAnonymousRead, repository.CreatedAt, git, git + "/info/lfs");
    }
}
