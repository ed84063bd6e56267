using StorageServer.EndToEnd.Tests.Scenarios;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Azure;

/// <summary>The round trip with the real git-lfs client, objects in azurite.</summary>
public sealed class AzureGitLfsRoundTripFixture : GitLfsRoundTripFixture
{
    protected override TargetKind Target => TargetKind.AzureBlob;
}

/// <summary>Every scenario of <see cref="GitLfsRoundTripTests"/>, on the Azure Blob store.</summary>
public sealed class AzureGitLfsRoundTripTests(AzureGitLfsRoundTripFixture fixture) : GitLfsRoundTripScenarios<AzureGitLfsRoundTripFixture>(fixture);
