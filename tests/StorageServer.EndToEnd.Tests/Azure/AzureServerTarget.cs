using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Azure;

/// <summary>One server process whose objects live in a real azurite (<c>ObjectStore:Type=AzureBlob</c>).</summary>
public sealed class AzureServerTarget : IServerTarget
{
    public const string Prefix = "lfs/";

    private AzureServerTarget(AzuriteServer azurite, ServerProcess server)
    {
        Azurite = azurite;
        Server = server;
    }

    public AzuriteServer Azurite { get; }

    public ServerProcess Server { get; }

    public string BaseUrl => Server.BaseUrl;

    public static async Task<AzureServerTarget> StartAsync()
    {
        var azurite = await AzuriteServer.StartAsync();
        try
        {
            return new AzureServerTarget(azurite, await ServerProcess.StartAsync(azurite.ServerEnvironment(Prefix)));
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public Task CreateRepoAsync(string name, bool allowAnonymousRead = false) => Server.CreateRepoAsync(name, allowAnonymousRead);

    public Task<string> CreateTokenAsync(string user, IDictionary<string, string> scopes) => Server.CreateTokenAsync(user, scopes);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
