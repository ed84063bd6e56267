using System.Diagnostics;
using StorageServer.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>Packs stream through the server: its memory does not grow with the push.</summary>
public sealed class LargePushTests(ITestOutputHelper output)
{
    private const long FileSize = 300L * 1024 * 1024;
    private const long MaxServerPeakBytes = 250L * 1024 * 1024;

    [Fact]
    public async Task A_300_MB_push_keeps_the_server_under_250_MB_and_a_dropped_fetch_stops_git()
    {
        var clock = Stopwatch.StartNew();
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
        output.WriteLine($"{clock.Elapsed} file written");
        git.Run(w, "add", "big.dat");
        git.Run(w, "commit", "-m", "big");
        output.WriteLine($"{clock.Elapsed} committed");
        git.Run(w, "push", "origin", "main");
        Assert.Equal(git.Run(w, "rev-parse", "HEAD").Output.Trim(), git.Run(w, "ls-remote", "origin", "refs/heads/main").Output.Split('\t')[0]);

        output.WriteLine($"{clock.Elapsed} pushed");
        var peak = ProcessMemory.PeakResidentBytes(server.ProcessId!.Value);
        output.WriteLine($"server peak RSS {peak / (1024 * 1024)} MB");
        Assert.True(peak < MaxServerPeakBytes, $"server peak RSS {peak / (1024 * 1024)} MB");

        // A client that hangs up mid-download: the response was streaming (bytes arrived long
        // before a 300 MB pack could be complete) and the git processes behind it are stopped.
        using (var http = server.CreateClient())
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"user:{token}")));
            using var request = GitSmartHttpTests.UploadPackRequest("team/big", git.Run(w, "rev-parse", "HEAD").Output.Trim(), gzip: false);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            var received = 0;
            while (received < 4 * 1024 * 1024)
            {
                var read = await body.ReadAsync(buffer);
                Assert.True(read > 0, "response ended early");
                received += read;
            }
            Assert.NotEmpty(Descendants(server.ProcessId!.Value));
        }
        output.WriteLine($"{clock.Elapsed} fetch dropped");
        var deadline = DateTimeOffset.Now.AddSeconds(20);
        while (Descendants(server.ProcessId!.Value).Count > 0 && DateTimeOffset.Now < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Empty(Descendants(server.ProcessId!.Value));
    }

    /// <summary>Command lines of every process below <paramref name="pid"/>.</summary>
    private static List<string> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var child))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "pid (comm) state ppid ...": comm may hold spaces, so parse after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[child] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        var result = new List<string>();
        foreach (var (child, _) in parents)
        {
            for (var p = parents.GetValueOrDefault(child); p > 1; p = parents.GetValueOrDefault(p))
            {
                if (p == pid)
                {
                    try
                    {
                        result.Add(File.ReadAllText($"/proc/{child}/cmdline").Replace('\0', ' '));
                    }
                    catch (IOException)
                    {
                    }
                    break;
                }
            }
        }
        return result;
    }
}
