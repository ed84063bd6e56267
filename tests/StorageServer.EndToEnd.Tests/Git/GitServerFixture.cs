using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>One real server process shared by a test class; each test uses its own repository.</summary>
public sealed class GitServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The repository's remote URL, optionally with Basic credentials in it.</summary>
    public string UrlOf(string repository, string? token = null, bool gitSuffix = true)
    {
        var userInfo = token is null ? string.Empty : $"user:{Uri.EscapeDataString(token)}@";
        return $"http://{userInfo}127.0.0.1:{Server.Port}/{repository}{(gitSuffix ? ".git" : string.Empty)}";
    }

    /// <summary>Creates the repository and a token with <paramref name="level"/> on it.</summary>
    public async Task<string> CreateRepoWithTokenAsync(string repository, string level = "write")
    {
        await Server.CreateRepoAsync(repository);
        return await Server.CreateTokenAsync("alice", new Dictionary<string, string> { [repository] = level });
    }
}
