using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Locks;

/// <summary>
/// A fresh server per test with repository <c>team/data</c> (and <c>team/other</c>) and one
/// client per role: alice and bob write, reader reads, carol administers team/data, outsider
/// writes only team/other.
/// </summary>
public abstract class LockApiTestBase : IAsyncLifetime
{
    // The server's log is captured for every test, rather than a second host on the same database
    // for the logging test (one server per SQLite database: SqliteSingleProcessLock).
    protected LockApiTestBase() => Server = new StorageServerFactory(configureServices: s => s.AddSingleton<ILoggerProvider>(Logs));

    protected StorageServerFactory Server { get; }

    protected CapturingLoggerProvider Logs { get; } = new();

    internal LockApiClient Alice { get; private set; } = null!;

    internal LockApiClient Bob { get; private set; } = null!;

    internal LockApiClient Reader { get; private set; } = null!;

    internal LockApiClient Carol { get; private set; } = null!;

    internal LockApiClient Outsider { get; private set; } = null!;

    internal LockApiClient Anonymous { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await Server.CreateRepoAsync("team/data");
        await Server.CreateRepoAsync("team/other");
        Alice = await ClientForAsync("alice", "write");
        Bob = await ClientForAsync("bob", "write");
        Reader = await ClientForAsync("reader", "read");
        Carol = await ClientForAsync("carol", "admin");
        Outsider = new LockApiClient(Server.CreateBasicClient(
            await Server.CreateTokenAsync("outsider", new Dictionary<string, string> { ["team/other"] = "write" })));
        Anonymous = new LockApiClient(Server.CreateClient());
    }

    public Task DisposeAsync()
    {
        foreach (var client in new[] { Alice, Bob, Reader, Carol, Outsider, Anonymous })
        {
            client?.Dispose();
        }
        Server.Dispose();
        return Task.CompletedTask;
    }

    internal async Task<LockApiClient> ClientForAsync(string user, string level, string repo = "team/data", string lfsBase = LockApiClient.DefaultBase) =>
        new(Server.CreateBasicClient(await Server.CreateTokenAsync(user, new Dictionary<string, string> { [repo] = level })), lfsBase);
}
