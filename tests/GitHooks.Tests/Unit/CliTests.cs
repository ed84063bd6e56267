using GitHooks.Tests.Support;

namespace GitHooks.Tests.Unit;

/// <summary>Commands run in process through the CLI wiring, with a test context instead of the console.</summary>
public sealed class CliTests : IDisposable
{
    private readonly GitSandbox _sandbox = ClientSandbox.Create();

    public void Dispose() => _sandbox.Dispose();

    private string NewRepo()
    {
        var repo = _sandbox.PathOf("repo");
        _sandbox.TryRun(_sandbox.Root, "init", "-q", repo).EnsureSuccess();
        return repo;
    }

    [Fact]
    public async Task Track_appends_the_git_lfs_attribute_line_once_and_lists_patterns()
    {
        var repo = NewRepo();
        File.WriteAllText(Path.Combine(repo, ".gitattributes"), "*.txt text");

        var first = new TestCommandContext(repo, _sandbox.Environment);
        Assert.Equal(0, await Cli.RunAsync(first, ["track", "*.bin", "my file.psd"]));
        var again = new TestCommandContext(repo, _sandbox.Environment);
        Assert.Equal(0, await Cli.RunAsync(again, ["track", "*.bin"]));
        var list = new TestCommandContext(repo, _sandbox.Environment);
        Assert.Equal(0, await Cli.RunAsync(list, ["track"]));

        Assert.Equal("*.txt text\n*.bin filter=lfs diff=lfs merge=lfs -text\nmy[[:space:]]file.psd filter=lfs diff=lfs merge=lfs -text\n",
            File.ReadAllText(Path.Combine(repo, ".gitattributes")));
        Assert.Contains("Tracking \"*.bin\"", first.StdOutText, StringComparison.Ordinal);
        Assert.Contains("\"*.bin\" already supported", again.StdOutText, StringComparison.Ordinal);
        Assert.Contains("*.bin (.gitattributes)", list.StdOutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_sets_the_process_filter_locally_and_env_reports_endpoint_and_config()
    {
        var repo = NewRepo();
        _sandbox.TryRun(repo, "remote", "add", "origin", "https://git.example.com/team/data").EnsureSuccess();

        Assert.Equal(0, await Cli.RunAsync(new TestCommandContext(repo, _sandbox.Environment), ["install"]));
        var process = _sandbox.TryRun(repo, "config", "--local", "--get", "filter.lfs.process").EnsureSuccess().Output.Trim();
        Assert.Equal("git-storage filter-process", process);
        Assert.Equal("true", _sandbox.TryRun(repo, "config", "--local", "--get", "filter.lfs.required").EnsureSuccess().Output.Trim());

        var env = new TestCommandContext(repo, _sandbox.Environment);
        Assert.Equal(0, await Cli.RunAsync(env, ["env"]));
        Assert.Contains("Endpoint=https://git.example.com/team/data.git/info/lfs (auth=none", env.StdOutText, StringComparison.Ordinal);
        Assert.Contains("Hooks=pre-push,post-checkout,post-merge,post-rewrite", env.StdOutText, StringComparison.Ordinal);

        Assert.Equal(0, await Cli.RunAsync(new TestCommandContext(repo, _sandbox.Environment), ["uninstall"]));
        Assert.False(_sandbox.TryRun(repo, "config", "--local", "--get", "filter.lfs.process").Succeeded);
        Assert.False(File.Exists(Path.Combine(repo, ".git", "hooks", "pre-push")));
    }

    [Fact]
    public async Task Outside_a_repository_install_says_what_to_do()
    {
        var context = new TestCommandContext(_sandbox.Root, _sandbox.Environment);
        Assert.Equal(2, await Cli.RunAsync(context, ["install"]));
        Assert.Contains("--global", context.StdErrText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pre_push_with_nothing_to_push_succeeds_without_a_server()
    {
        var repo = NewRepo();
        var context = new TestCommandContext(repo, _sandbox.Environment, "refs/heads/x 0000000000000000000000000000000000000000 refs/heads/x 1111111111111111111111111111111111111111\n"u8.ToArray());
        Assert.Equal(0, await Cli.RunAsync(context, ["pre-push", "origin", "file:///nowhere"]));
    }
}
