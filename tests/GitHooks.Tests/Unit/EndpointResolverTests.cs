using GitHooks.Api;

namespace GitHooks.Tests.Unit;

public sealed class EndpointResolverTests
{
    private static EndpointResolver Resolver(IEnumerable<(string, string)> git, IEnumerable<(string, string)>? lfsConfig = null) =>
        new(new GitConfig(git.Select(e => KeyValuePair.Create(e.Item1, e.Item2)), lfsConfig?.Select(e => KeyValuePair.Create(e.Item1, e.Item2))));

    [Theory]
    [InlineData("https://git.example.com/team/data", "https://git.example.com/team/data.git/info/lfs")]
    [InlineData("https://git.example.com/team/data.git", "https://git.example.com/team/data.git/info/lfs")]
    [InlineData("https://git.example.com/team/data.git/", "https://git.example.com/team/data.git/info/lfs")]
    [InlineData("git@git.example.com:team/data.git", "https://git.example.com/team/data.git/info/lfs")]
    [InlineData("ssh://git@git.example.com:2222/team/data", "https://git.example.com/team/data.git/info/lfs")]
    public void Derives_the_endpoint_from_the_remote_url(string remoteUrl, string expected)
    {
        var endpoint = Resolver([("remote.origin.url", remoteUrl)]).Resolve("origin", upload: false);
        Assert.Equal(expected, endpoint.Url.AbsoluteUri);
        Assert.Equal("remote.origin.url", endpoint.Source);
    }

    [Fact]
    public void Follows_git_lfs_precedence()
    {
        (string, string)[] all =
        [
            ("remote.origin.url", "https://h/r.git"),
            ("remote.origin.lfsurl", "https://remote-lfsurl/x"),
            ("remote.origin.lfspushurl", "https://remote-lfspushurl/x"),
            ("lfs.url", "https://lfs-url/x"),
            ("lfs.pushurl", "https://lfs-pushurl/x"),
        ];
        Assert.Equal("https://lfs-url/x", Resolver(all).Resolve("origin", false).Url.AbsoluteUri);
        Assert.Equal("https://lfs-pushurl/x", Resolver(all).Resolve("origin", true).Url.AbsoluteUri);
        Assert.Equal("https://remote-lfsurl/x", Resolver(all[..3]).Resolve("origin", false).Url.AbsoluteUri);
        Assert.Equal("https://remote-lfspushurl/x", Resolver(all[..3]).Resolve("origin", true).Url.AbsoluteUri);
    }

    [Fact]
    public void Lfsconfig_is_used_but_git_config_wins_and_unsafe_keys_are_ignored()
    {
        var fromFile = Resolver([("remote.origin.url", "file:///srv/r.git")], [("lfs.url", "https://from-lfsconfig/r.git/info/lfs")]);
        Assert.Equal("https://from-lfsconfig/r.git/info/lfs", fromFile.Resolve("origin", false).Url.AbsoluteUri);

        var overridden = Resolver([("lfs.url", "https://from-git-config/x")], [("lfs.url", "https://from-lfsconfig/x")]);
        Assert.Equal("https://from-git-config/x", overridden.Resolve("origin", false).Url.AbsoluteUri);

        var config = new GitConfig([], [KeyValuePair.Create("core.sshcommand", "evil")]);
        Assert.Null(config.Get("core.sshcommand"));
    }

    [Fact]
    public void Applies_insteadOf_before_deriving()
    {
        var resolver = Resolver([("remote.origin.url", "gh:team/data"), ("url.https://git.example.com/.insteadof", "gh:")]);
        Assert.Equal("https://git.example.com/team/data.git/info/lfs", resolver.Resolve("origin", false).Url.AbsoluteUri);
    }

    [Fact]
    public void File_remote_without_lfs_url_is_a_clear_error()
    {
        var error = Assert.Throws<EndpointException>(() => Resolver([("remote.origin.url", "file:///srv/r.git")]).Resolve("origin", false));
        Assert.Contains("git config lfs.url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_case_insensitive_except_the_subsection()
    {
        var config = new GitConfig([KeyValuePair.Create("Remote.Origin.LFSURL", "https://x/y")]);
        Assert.Equal("https://x/y", config.Get("remote.Origin.lfsurl"));
        Assert.Null(config.Get("remote.origin.lfsurl"));
    }

    [Fact]
    public void Parses_git_config_z_list_output()
    {
        var entries = GitConfig.ParseList("core.bare\nfalse\0remote.origin.url\nhttps://h/r\0flag\0").ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(KeyValuePair.Create("remote.origin.url", "https://h/r"), entries[1]);
        Assert.Equal("true", entries[2].Value);
    }
}
