using Microsoft.AspNetCore.Authorization;
using StorageServer.Auth;

namespace StorageServer.Admin;

/// <summary>
/// Admin endpoints need a credential with admin scope on every repository. It is an authorization
/// policy, checked by the authorization middleware before the endpoint runs, so a stranger's
/// request body is never read or parsed (an endpoint filter would run after body binding).
/// </summary>
internal static class AdminAuthorization
{
    public const string Policy = "ServerAdmin";

    public static IServiceCollection AddServerAdminPolicy(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => c.User.IsServerAdmin()));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminAuthorizationResultHandler>();
        return services;
    }

    public static RouteGroupBuilder RequireServerAdmin(this RouteGroupBuilder group) => group.RequireAuthorization(Policy);
}
