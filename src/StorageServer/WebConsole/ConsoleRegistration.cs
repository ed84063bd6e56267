using System.Reflection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.WebConsole.Hosting;
using StorageServer.WebConsole.Sessions;

namespace StorageServer.WebConsole;

/// <summary>
/// The web console: Razor Pages under <c>/console</c>, signed in with an admin token into a
/// server-side session (HTTP-only, SameSite=Strict cookie, Secure over HTTPS), antiforgery on
/// every form, and every page behind the <see cref="ConsoleAuthentication.Policy"/> (admin on
/// every repository). Pages call the same services as the admin API.
/// </summary>
public static class ConsoleRegistration
{
    private const string CookiePath = "/" + ConsoleRoutePrefix.Prefix;

    private const string DataProtectionWarmUp = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        AddConsole(services, configuration);
        // The key ring is read (and its first key written) by the first console cookie, not at start:
        // the framework's hosted service only warms it up, which loaded the XML stack into every
        // server, console used or not (idle RSS -4 MB, issue 17). A key added meanwhile by another
        // node is found the way it always is: a cookie under an unknown key refreshes the ring.
        // Last, since the cookie and antiforgery registrations add it again.
        foreach (var warmUp in services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType?.FullName == DataProtectionWarmUp).ToList())
        {
            services.Remove(warmUp);
        }
        return services;
    }

    private static void AddConsole(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ConsoleOptions>(ConsoleOptions.Section);
        // The key ring protecting the session and antiforgery cookies, shared by every node through the database.
        services.AddDataProtection().SetApplicationName("StorageServer").PersistKeysToDbContext<StorageDbContext>();
        if (!(configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions()).Enabled)
        {
            return;
        }
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/WebConsole/Pages";
            pages.Conventions.Add(new ConsoleRoutePrefix());
            pages.Conventions.AuthorizeFolder("/", ConsoleAuthentication.Policy);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.Configure<RouteOptions>(routes => routes.LowercaseUrls = true);
        services.AddAuthentication().AddCookie(ConsoleAuthentication.Scheme, cookie =>
        {
            cookie.Cookie.Name = "storageserver_console";
            StrictCookie(cookie.Cookie);
            cookie.LoginPath = CookiePath + "/signin";
            cookie.AccessDeniedPath = CookiePath + "/signin";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<ConsoleSessionValidator>().ValidateAsync(context);
        });
        services.AddOptions<CookieAuthenticationOptions>(ConsoleAuthentication.Scheme).Configure<IOptions<ConsoleOptions>, ConsoleSessionStore>((cookie, options, store) =>
        {
            cookie.ExpireTimeSpan = options.Value.SessionIdleTimeout;
            cookie.SessionStore = store;
        });
        // Cookie only: a Basic password a browser cached for git never opens a console page.
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(ConsoleAuthentication.Scheme).RequireAuthenticatedUser().RequireAssertion(c => c.User.IsServerAdmin()));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "storageserver_console_csrf";
            StrictCookie(antiforgery.Cookie);
            antiforgery.FormFieldName = "__csrf";
        });
        services.Configure<CookieTempDataProviderOptions>(tempData =>
        {
            tempData.Cookie.Name = "storageserver_console_flash";
            StrictCookie(tempData.Cookie);
        });
        services.AddSingleton<ConsoleSessionStore>().AddScoped<ConsoleSessionValidator>().AddScoped<ConsoleAuthentication>();
        services.AddScoped<Overview.ConsoleOverview>();
    }

    public static WebApplication UseWebConsole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            return app;
        }
        app.UseConsoleResponseHeaders();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "StorageServer.WebConsole.Assets"),
            RequestPath = CookiePath + "/assets",
        });
        return app;
    }

    public static WebApplication MapWebConsole(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            app.MapGet("/", () => TypedResults.Redirect(CookiePath + "/")).ExcludeFromDescription();
            app.UseLazyConsolePages();
        }
        return app;
    }

    private static void StrictCookie(CookieBuilder cookie)
    {
        cookie.Path = CookiePath;
        cookie.HttpOnly = true;
        cookie.SameSite = SameSiteMode.Strict;
        cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.IsEssential = true;
    }
}
