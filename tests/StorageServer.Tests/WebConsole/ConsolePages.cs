using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.WebConsole;

/// <summary>One URL a console page answers and the HTTP method of one of its handlers.</summary>
public sealed record ConsoleEndpoint(string Page, string Method, string Url);

/// <summary>
/// Every console page and every handler it has, as the running server knows them (compiled page
/// descriptors), so a page or form added later is covered by the access tests without listing it.
/// </summary>
public static class ConsolePages
{
    public static async Task<List<ConsoleEndpoint>> DiscoverAsync(StorageServerFactory server)
    {
        var descriptors = server.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<PageActionDescriptor>();
        var loader = server.Services.GetRequiredService<PageLoader>();
        var endpoints = new List<ConsoleEndpoint>();
        foreach (var descriptor in descriptors)
        {
            var compiled = await loader.LoadAsync(descriptor, Microsoft.AspNetCore.Http.EndpointMetadataCollection.Empty);
            var path = "/" + Fill(descriptor.AttributeRouteInfo!.Template!);
            foreach (var handler in compiled.HandlerMethods)
            {
                var url = handler.Name is null ? path : $"{path}?handler={handler.Name}";
                endpoints.Add(new ConsoleEndpoint(descriptor.ViewEnginePath, handler.HttpMethod.ToUpperInvariant(), url));
            }
        }
        return endpoints.DistinctBy(e => (e.Method, e.Url)).OrderBy(e => e.Url, StringComparer.Ordinal).ToList();
    }

    /// <summary>Route parameters get plausible values: <c>{owner}/{name}</c> a repository, ids 1.</summary>
    private static string Fill(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{([a-z]+)(:[^}]*)?\}", m => m.Groups[1].Value switch
        {
            "owner" => "team",
            "name" => "data",
            _ => "1",
        }).Replace("//", "/", StringComparison.Ordinal);
}
