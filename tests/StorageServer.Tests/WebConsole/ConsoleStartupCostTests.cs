using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.WebConsole;

/// <summary>
/// A server whose console nobody opens does not pay for it (issue 17): its pages join routing only
/// with the first console request, and the key ring protecting its cookies is not loaded at start.
/// </summary>
public sealed class ConsoleStartupCostTests : IDisposable
{
    private readonly StorageServerFactory _server = new();

    [Fact]
    public async Task Pages_are_routed_from_the_first_console_request_on_and_not_before()
    {
        using var client = _server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        Assert.Empty(PageEndpoints());

        using var signIn = await client.GetAsync(new Uri("/console/signin", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains(PageEndpoints(), e => e.DisplayName == "/SignIn");
    }

    [Fact]
    public void The_data_protection_key_ring_is_not_loaded_at_start()
    {
        var hostedServices = _server.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.NotEmpty(hostedServices);
        Assert.DoesNotContain(hostedServices, t => t.Assembly.GetName().Name!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
    }

    /// <summary>The endpoints link generation and every routing table see.</summary>
    private IEnumerable<Endpoint> PageEndpoints() =>
        _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null);

    public void Dispose() => _server.Dispose();
}
