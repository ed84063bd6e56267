using System.Text.Json;
using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// The gen0 size the deployments ship (issue 17) is an environment variable the runtime reads from
/// nowhere else, so each way of starting the server sets it on its own: the systemd environment
/// file (which bench/server/small-objects.sh also reads), the container image (compose and
/// Kubernetes run it) and the launch profile <c>dotnet run</c> applies. A launch profile that does
/// not parse is skipped with a warning, and the server starts anyway: only a started server shows it.
/// </summary>
public sealed partial class GarbageCollectorSettingsTests
{
    private const string Gen0Size = "DOTNET_GCgen0size";

    /// <summary>Workstation GC's floor for its largest gen0 budget, whatever the gen0 size.</summary>
    private const long WorkstationGen0MaxBudgetFloor = 6 * 1024 * 1024;

    [Fact]
    public void The_image_and_the_launch_profile_set_the_gen0_size_of_the_systemd_environment_file()
    {
        var shipped = ShippedGen0Size();
        Assert.Equal(shipped, DeployEnvironments.Dockerfile().GetValueOrDefault(Gen0Size));
        Assert.Equal(shipped, LaunchProfileEnvironment().GetValueOrDefault(Gen0Size));
        // Compose and Kubernetes run the image: a value of their own would override it.
        var compose = File.ReadAllText(Path.Combine(DeployEnvironments.Deploy, "compose", "compose.yaml"));
        var kubernetes = string.Concat(Directory.EnumerateFiles(Path.Combine(DeployEnvironments.Deploy, "kubernetes"), "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain(Gen0Size, compose, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Gen0Size, kubernetes, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_server_started_the_readme_way_runs_with_the_shipped_gen0_size()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "README.md"));
        var command = ReadmeRunCommand().Match(readme);
        Assert.True(command.Success, "no `dotnet run --project src/StorageServer -c Release -- --urls … --data-dir …` in the README");
        var shipped = ShippedGen0Size();

        // The README's command, on a free port and without building again (the tests' build is the one to run).
        await using var server = await ServerProcess.StartAsync(
            environment: new Dictionary<string, string> { [Gen0Size] = "", ["ASPNETCORE_ENVIRONMENT"] = "", ["ASPNETCORE_URLS"] = "" },
            arguments: (port, dataDir) =>
                ["run", "--no-build", "--project", Path.Combine(RepoRoot.Path, command.Groups["project"].Value), "-c", RepoRoot.Configuration, "--",
                 "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir]);

        // The console logger writes from a queue of its own: the host's start lines may follow the first healthy answer.
        for (var waited = 0; waited < 150 && !server.Log.Contains("Content root path:", StringComparison.Ordinal); waited++)
        {
            await Task.Delay(100);
        }
        Assert.Contains("Using launch settings from", server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be applied", server.Log, StringComparison.Ordinal);
        Assert.Contains("Hosting environment: Production", server.Log, StringComparison.Ordinal);
        var line = GarbageCollectorLine().Match(server.Log);
        Assert.True(line.Success, "no garbage collector line in the log:\n" + server.Log);
        Assert.Equal("workstation", line.Groups["mode"].Value);
        Assert.Equal(shipped, line.Groups["gen0size"].Value);
        // The runtime took it: the gen0 budget it derived is bounded by it, not by the L3 cache.
        Assert.InRange(long.Parse(line.Groups["budget"].Value, System.Globalization.CultureInfo.InvariantCulture),
            1, Math.Max(WorkstationGen0MaxBudgetFloor, Convert.ToInt64(shipped, 16)));
    }

    private static string ShippedGen0Size()
    {
        var shipped = DeployEnvironments.Systemd().GetValueOrDefault(Gen0Size);
        Assert.True(shipped is not null, $"deploy/systemd/storageserver.env sets no {Gen0Size}");
        Assert.True(Convert.ToInt64(shipped, 16) > 0, $"{Gen0Size}={shipped} is not a hexadecimal size");
        return shipped;
    }

    private static Dictionary<string, string> LaunchProfileEnvironment()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "src", "StorageServer", "Properties", "launchSettings.json")));
        // dotnet run applies the first profile when none is named.
        var profile = settings.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        return profile.GetProperty("environmentVariables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    [GeneratedRegex(@"^dotnet run --project (?<project>src/StorageServer) -c Release -- --urls \S+ --data-dir \S+$", RegexOptions.Multiline)]
    private static partial Regex ReadmeRunCommand();

    [GeneratedRegex(@"Garbage collector: (?<mode>\w+), concurrent \w+, gen0 budget at most (?<budget>\d+) bytes, DOTNET_GCgen0size=(?<gen0size>\S+)")]
    private static partial Regex GarbageCollectorLine();
}
