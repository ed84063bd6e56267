using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>Packs stream through the server: its memory does not grow with the push.</summary>
public sealed class LargePushTests
{
    private const long FileSize = 300L * 1024 * 1024;
    private const long MaxServerPeakBytes = 250L * 1024 * 1024;

    [Fact]
    public async Task A_300_MB_push_and_clone_keep_the_server_under_250_MB()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/big");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/big"] = "write" });
        var url = $"http://user:{token}@127.0.0.1:{server.Port}/team/big.git";
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", url, "w");
        var w = git.PathOf("w");
        // Random bytes do not compress; skipping zlib keeps the test fast without changing what is sent.
        git.Run(w, "config", "core.compression", "0");
        TestFiles.Write(Path.Combine(w, "big.dat"), FileSize, seed: 3);
        git.Run(w, "add", "big.dat");
        git.Run(w, "commit", "-m", "big");
        git.Run(w, "push", "origin", "main");
        Assert.Equal(git.Run(w, "rev-parse", "HEAD").Output.Trim(), git.Run(w, "ls-remote", "origin", "refs/heads/main").Output.Split('\t')[0]);

        git.Run(git.Root, "-c", "core.compression=0", "clone", "--no-checkout", url, "c");
        Assert.Equal(git.Run(w, "rev-parse", "HEAD").Output.Trim(), git.Run(git.PathOf("c"), "rev-parse", "HEAD").Output.Trim());

        var peak = PeakResidentBytes(server.ProcessId!.Value);
        Assert.True(peak < MaxServerPeakBytes, $"server peak RSS {peak / (1024 * 1024)} MB");
    }

    /// <summary>VmHWM: the highest resident set size the process ever had.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
