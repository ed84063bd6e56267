using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>git storage draws a progress bar on a terminal and stays quiet in pipes and CI logs.</summary>
public sealed class TransferProgressTests : IAsyncLifetime
{
    private readonly GitSandbox _user = new(LfsClient.GitStorage);
    private ServerProcess _server = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        await _server.CreateRepoAsync("team/progress");
        _user.StoreCredentials(_server.BaseUrl, await _server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/progress"] = "write" }), "alice");
        _work = _user.PathOf("work");
        _user.Run(_user.Root, "clone", $"{_server.BaseUrl}/team/progress.git", _work);
        _user.Run(_work, "storage", "track", "*.bin");
    }

    [Fact]
    public void Uploads_show_a_progress_bar_on_a_terminal_only()
    {
        Commit("first.bin", seed: 1);
        var piped = _user.TryRun(_work, "storage", "push", "--all", "origin");
        Assert.Equal(0, piped.ExitCode);
        Assert.DoesNotContain("Uploading LFS objects", piped.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', piped.Error);

        Commit("second.bin", seed: 2);
        var terminal = _user.TryRunInTerminal(_work, "storage", "push", "--all", "origin");
        Assert.True(terminal.ExitCode == 0, terminal.Output + terminal.Error);
        // Both objects count as done, including the one the server already had.
        Assert.Matches(@"\rUploading LFS objects: 100% \(2/2\), 4\.2 MB / 4\.2 MB \| [0-9.]+ [KMG]?B/s", terminal.Output);
    }

    private void Commit(string name, int seed)
    {
        TestFiles.Write(Path.Combine(_work, name), 2_100_000, seed);
        _user.Run(_work, "add", "-A");
        _user.Run(_work, "commit", "-m", name);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _user.Dispose();
    }
}
