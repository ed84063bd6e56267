using StorageServer.Repos;
using StorageServer.RequestLimits;

namespace StorageServer.Lfs;

/// <summary>
/// The LFS base of every repository. git-lfs derives <c>…/owner/name.git/info/lfs</c> from the
/// remote URL, and a remote without <c>.git</c> still gets the suffix, but custom <c>lfs.url</c>s
/// may omit it, so the <c>{repo}</c> segment is matched with or without it.
/// </summary>
public static class LfsRoutes
{
    public const string Base = "/{owner}/{repo}/info/lfs";

    /// <summary>
    /// A group under <see cref="Base"/> whose endpoints always answer in LFS JSON, even when they
    /// throw (see <see cref="LfsEndpointFilter"/>).
    /// </summary>
    public static RouteGroupBuilder MapLfsGroup(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Base).WithRequestBody(RequestBodyKind.LfsJson);
        group.AddEndpointFilter<LfsEndpointFilter>();
        return group;
    }

    /// <summary>Any other path under the LFS base answers 404 in LFS JSON instead of an empty 404/405.</summary>
    public static IEndpointRouteBuilder MapLfsFallback(this IEndpointRouteBuilder routes)
    {
        routes.MapLfsGroup().Map("/{**rest}", () => LfsResults.Error(StatusCodes.Status404NotFound, "Not found."));
        return routes;
    }

    /// <summary>The repository named by the route, or null when the name is not valid.</summary>
    public static string? RepositoryName(HttpContext context) =>
        RepoNames.FromRoute(context.GetRouteValue("owner") as string, context.GetRouteValue("repo") as string);
}
