using StorageServer.Auth;

namespace StorageServer.Admin;

/// <summary>Admin endpoints need a credential with admin scope on every repository.</summary>
internal static class AdminAuthorization
{
    public static RouteGroupBuilder RequireServerAdmin(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var user = context.HttpContext.User;
            if (user.Identity?.IsAuthenticated != true)
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"StorageServer\"";
                return TypedResults.Json(new ApiError("Authentication required: send the admin token as a Bearer token."), statusCode: StatusCodes.Status401Unauthorized);
            }
            return user.IsServerAdmin()
                ? await next(context)
                : TypedResults.Json(new ApiError("This endpoint needs an admin token."), statusCode: StatusCodes.Status403Forbidden);
        });
}
