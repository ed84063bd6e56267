using StorageServer.EndToEnd.Tests.Cluster;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// Where a scenario runs: one server process, or a cluster (two nodes behind nginx on PostgreSQL
/// and s3rver). Scenario fixtures take a <see cref="TargetKind"/>, so one set of tests covers both.
/// </summary>
public interface IServerTarget : IAsyncDisposable
{
    /// <summary>The URL users give git: the server itself, or nginx in front of the cluster.</summary>
    string BaseUrl { get; }

    Task CreateRepoAsync(string name, bool allowAnonymousRead = false);

    Task<string> CreateTokenAsync(string user, IDictionary<string, string> scopes);
}

public enum TargetKind
{
    SingleNode,
    Cluster,
}

public static class ServerTargets
{
    public static async Task<IServerTarget> StartAsync(TargetKind kind) => kind switch
    {
        TargetKind.SingleNode => await ServerProcess.StartAsync(),
        TargetKind.Cluster => await ClusterFixture.StartAsync(nodes: 2),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
