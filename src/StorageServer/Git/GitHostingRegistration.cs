using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Indexing;
using StorageServer.Repos;

namespace StorageServer.Git;

/// <summary>
/// Git smart HTTP under <c>/{owner}/{repo}.git</c>, the push hooks' internal API and the pointer
/// index. <c>Git:Enabled=false</c> maps none of it (the LFS API stays).
/// </summary>
public static class GitHostingRegistration
{
    public static IServiceCollection AddGitHosting(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
        {
            return services;
        }
        services.AddSingleton<GitHooks>();
        services.AddSingleton<IRepositoryInitializer, GitHooksInitializer>();
        services.AddHostedService<GitHooksInstaller>();
        services.AddScoped<GitHttpBackend>();
        services.AddSingleton<PointerScanner>().AddSingleton<PushScanHandoff>().AddScoped<PushTipTrees>();
        services.AddScoped<PointerIndexer>();
        services.AddScoped<LfsObjectCheck>();
        return services;
    }

    public static IEndpointRouteBuilder MapGitHosting(this IEndpointRouteBuilder routes)
    {
        if (!IsEnabled(routes.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            return routes;
        }
        routes.MapGitSmartHttp();
        routes.MapHookEndpoints();
        routes.MapGroup("/api/repos/{owner}/{name}").RequireServerAdmin().WithTags("Repositories").MapPost("/rescan", RescanAsync);
        return routes;
    }

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue($"{GitOptions.Section}:{nameof(GitOptions.Enabled)}", true);

    /// <summary>Rebuilds the pointer index of one repository from all its refs.</summary>
    private static async Task<Results<Ok<RescanResult>, NotFound<ApiError>>> RescanAsync(
        string owner, string name, StorageDbContext db, PointerIndexer indexer, CancellationToken cancellationToken)
    {
        var fullName = $"{owner}/{name}";
        var repository = RepoNames.IsValid(fullName)
            ? await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == fullName, cancellationToken)
            : null;
        return repository is null
            ? TypedResults.NotFound(new ApiError($"Repository '{fullName}' not found."))
            : TypedResults.Ok(await indexer.RescanAsync(repository, cancellationToken));
    }
}
