using StorageServer.EndToEnd.Tests.Scenarios;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>The round trip pushed through nginx onto two nodes (PostgreSQL, s3rver, shared repositories).</summary>
public sealed class ClusterGitLfsRoundTripFixture : GitLfsRoundTripFixture
{
    protected override TargetKind Target => TargetKind.Cluster;
}

/// <summary>Every scenario of <see cref="GitLfsRoundTripTests"/>, against the cluster.</summary>
public sealed class ClusterGitLfsRoundTripTests(ClusterGitLfsRoundTripFixture fixture) : GitLfsRoundTripScenarios<ClusterGitLfsRoundTripFixture>(fixture);
