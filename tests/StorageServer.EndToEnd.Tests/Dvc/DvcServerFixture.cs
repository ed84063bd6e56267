using System.Text;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// One real server process for the DVC remote tests, with a 16 MiB object limit (so limits can
/// be tested cheaply; DVC's 5 MiB chunking still shows in 13 MiB uploads). Each test creates its
/// own repository and token.
/// </summary>
public sealed class DvcServerFixture : IAsyncLifetime
{
    public const long MaxObjectSize = 16L * 1024 * 1024;

    private int _repositories;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["Dvc__MaxObjectSize"] = MaxObjectSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A new repository and a token with <paramref name="level"/> on it.</summary>
    public async Task<(string Repository, string Token)> CreateRepoAsync(string level = "write")
    {
        var name = $"team/dvc{Interlocked.Increment(ref _repositories)}";
        await Server.CreateRepoAsync(name);
        return (name, await Server.CreateTokenAsync("alice", new Dictionary<string, string> { [name] = level }));
    }

    /// <summary>A client that sends what DVC sends with <c>auth basic</c> (user alice, the token as password).</summary>
    public DvcWireClient Client(string repository, string? token) =>
        ClientWithHeader(repository, token is null ? null : Basic("alice", token));

    public DvcWireClient ClientWithHeader(string repository, string? authorization) =>
        new(Server.Port, $"/{repository}.git/info/dvc", authorization);

    public static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>Files in the object store (its temporary folder excluded), and files left in that folder.</summary>
    public (int Objects, int Temporary) StoreFiles()
    {
        var root = Path.Combine(Server.DataDir, "objects");
        var all = Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
        var temporary = all.Count(f => f.Contains($"{Path.DirectorySeparatorChar}.tmp{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return (all.Length - temporary, temporary);
    }
}
