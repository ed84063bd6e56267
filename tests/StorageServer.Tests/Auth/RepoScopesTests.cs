using StorageServer.Auth;

namespace StorageServer.Tests.Auth;

public sealed class RepoScopesTests
{
    [Fact]
    public void Star_applies_to_every_repo_and_the_higher_level_wins()
    {
        Assert.True(RepoScopes.TryCreate(new Dictionary<string, string> { ["*"] = "read", ["team/data"] = "write" }, out var scopes, out _));
        Assert.Equal(AccessLevel.Write, scopes.For("team/data"));
        Assert.Equal(AccessLevel.Read, scopes.For("other/repo"));
    }

    [Theory]
    [InlineData("team/data", "owner")]
    [InlineData("../etc", "read")]
    [InlineData("team", "read")]
    public void Rejects_bad_levels_and_names(string repo, string level)
    {
        Assert.False(RepoScopes.TryCreate(new Dictionary<string, string> { [repo] = level }, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Round_trips_through_json()
    {
        Assert.True(RepoScopes.TryCreate(new Dictionary<string, string> { ["a/b"] = "admin" }, out var scopes, out _));
        Assert.Equal(AccessLevel.Admin, RepoScopes.FromJson(scopes.ToJson()).For("a/b"));
    }
}
