using StorageServer.Retention.Api;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;

namespace StorageServer.Tests.Retention;

/// <summary>Policy validation and how applicable policies fold into one, most protective, view.</summary>
public sealed class PolicyRulesTests
{
    [Theory]
    [InlineData(null, 30, null, null, null, "name is required")]
    [InlineData("p", null, null, null, null, "at least one rule")]
    [InlineData("p", 0, null, null, null, "keepDaysAfterDereference must be between 1")]
    [InlineData("p", null, null, 5, null, "maxAgeDays needs a pathGlob")]
    [InlineData("p", 30, null, null, " ", "pathGlob")]
    public void Bad_policies_are_refused_with_a_reason(string? name, int? keepDays, int? keepLast, int? maxAge, string? pathGlob, string error)
    {
        var request = new PolicyRequest(name, null, null, pathGlob, null, keepDays, keepLast, maxAge, null, null);
        Assert.Contains(error, request.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void Protected_refs_and_orphan_grace_belong_to_server_or_repository_scope()
    {
        Assert.Contains("protectedRefs is a server or repository setting", new PolicyRequest("p", null, "refs/heads/*", null, ["refs/heads/main"], null, null, null, null, null).Validate(), StringComparison.Ordinal);
        Assert.Contains("protectedRefs 'main': a ref glob starts with refs/", new PolicyRequest("p", null, null, null, ["main"], null, null, null, null, null).Validate(), StringComparison.Ordinal);
        Assert.Contains("refGlob 'heads/*': a ref glob starts with refs/", new PolicyRequest("p", null, "heads/*", null, null, 3, null, null, null, null).Validate(), StringComparison.Ordinal);
        Assert.Null(new PolicyRequest("p", "team/data", null, null, ["refs/heads/main", "refs/tags/*"], null, null, null, 48, null).Validate());
    }

    [Fact]
    public void The_most_protective_scope_wins()
    {
        var policies = new[]
        {
            Policy(1, null, protectedRefs: "refs/heads/main", orphanGraceHours: 6),
            Policy(2, 7, protectedRefs: "refs/heads/release/*", orphanGraceHours: 48),
            Policy(3, 8, protectedRefs: "refs/heads/dev"),
            Policy(4, null, enabled: false, protectedRefs: "refs/heads/*"),
        };

        var seven = EffectivePolicies.For(7, policies, TimeSpan.FromHours(24));
        Assert.True(seven.IsProtected("refs/heads/main"));
        Assert.True(seven.IsProtected("refs/heads/release/v2"));
        Assert.False(seven.IsProtected("refs/heads/dev"));
        Assert.False(seven.IsProtected("refs/tags/v1"));
        Assert.Equal(TimeSpan.FromHours(48), seven.OrphanGrace);

        var defaults = EffectivePolicies.For(9, [], TimeSpan.FromHours(24));
        Assert.True(defaults.IsProtected("refs/heads/anything"));
        Assert.True(defaults.IsProtected("refs/heads/feature/x"));
        Assert.True(defaults.IsProtected("refs/tags/v1"));
        Assert.True(defaults.IsProtected("refs/tags/releases/2026/v1"));
        Assert.False(defaults.IsProtected("refs/heads"));
        Assert.False(defaults.IsProtected("refs/pull/1/head"));
        Assert.Equal(TimeSpan.FromHours(24), defaults.OrphanGrace);
    }

    private static RetentionPolicy Policy(long id, long? repositoryId, bool enabled = true, string? protectedRefs = null, int? orphanGraceHours = null) => new()
    {
        Id = id, Name = $"p{id}", RepositoryId = repositoryId, Enabled = enabled, ProtectedRefs = protectedRefs, OrphanGraceHours = orphanGraceHours, UpdatedBy = "t",
    };
}
