using StorageServer.Configuration;

namespace StorageServer.Git;

/// <summary>Git smart HTTP under <c>/{owner}/{repo}.git</c>.</summary>
public static class GitHostingRegistration
{
    public static IServiceCollection AddGitHosting(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapGitHosting(this IEndpointRouteBuilder routes) => routes;
}
