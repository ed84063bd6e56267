using StorageServer.EndToEnd.Tests.Lfs;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>The LFS-only client scenarios against two nodes behind nginx.</summary>
public sealed class ClusterLfsServerFixture : LfsServerFixture
{
    protected override TargetKind Target => TargetKind.Cluster;
}

/// <summary>Every scenario of <see cref="GitLfsClientTests"/>, against the cluster.</summary>
public sealed class ClusterGitLfsClientTests(ClusterLfsServerFixture fixture) : GitLfsClientScenarios<ClusterLfsServerFixture>(fixture);
