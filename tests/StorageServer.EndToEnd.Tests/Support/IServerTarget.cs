using StorageServer.EndToEnd.Tests.Cluster;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// Where a scenario runs: one server process, a cluster (two nodes behind nginx on PostgreSQL
/// and s3rver), or one node on azurite. Scenario fixtures take a <see cref="TargetKind"/>, so one set of tests covers both.
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

    /// <summary>One node storing its objects in azurite.</summary>
    AzureBlob,
}

public static class ServerTargets
{
    public static async Task<IServerTarget> StartAsync(TargetKind kind) => kind switch
    {
        TargetKind.SingleNode => await ServerProcess.StartAsync(),
        TargetKind.Cluster => await ClusterFixture.StartAsync(nodes: 2),
        TargetKind.AzureBlob => await Azure.AzureServerTarget.StartAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
