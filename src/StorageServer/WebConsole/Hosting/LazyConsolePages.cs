namespace StorageServer.WebConsole.Hosting;

/// <summary>
/// The console's Razor Pages run in a routing pipeline of their own, built by the first request
/// under <c>/console</c>. In the main route table they made every server pay for MVC at its first
/// request of any kind (page discovery, action descriptors, the pages' types and their code) though
/// most servers only ever answer git and LFS: without them the peak RSS after a 1,000-object push
/// and clone (bench/server/small-objects.sh) fell by about 10 MB (issue 17). The pages see the
/// same request as before: the whole path (their routes keep the prefix, links are unchanged),
/// after every middleware of the main pipeline, with the authorization of their own endpoints.
/// </summary>
internal static class LazyConsolePages
{
    public static WebApplication UseLazyConsolePages(this WebApplication app)
    {
        var pages = new Lazy<RequestDelegate>(() => Build(app.Services), LazyThreadSafetyMode.ExecutionAndPublication);
        // Main routing found no endpoint for a console path (none of the API's or git's routes lives
        // there), so only the pages' own routing can answer it, 404 included.
        app.Use(next => context =>
            context.GetEndpoint() is null && context.Request.Path.StartsWithSegments("/" + ConsoleRoutePrefix.Prefix)
                ? pages.Value(context)
                : next(context));
        return app;
    }

    private static RequestDelegate Build(IServiceProvider services)
    {
        // A builder of its own: a branch of the WebApplication would share its global route table.
        var pages = new ApplicationBuilder(services);
        pages.UseRouting();
        // Authentication already ran in the main pipeline; the console's policy names its cookie
        // scheme, which the authorization of the matched page authenticates itself.
        pages.UseAuthorization();
        pages.UseEndpoints(endpoints => endpoints.MapRazorPages());
        return pages.Build();
    }
}
