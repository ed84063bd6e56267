using System.Diagnostics;

namespace StorageServer.Tests.Data;

/// <summary>
/// EF's design-time tooling agrees with the model: for each provider, <c>dotnet ef migrations add
/// Probe</c> (the pinned local tool, on the Release build) generates an empty migration, so the
/// model snapshots are current and the next generated migration holds only its own change. Runs
/// <c>scripts/ef-snapshots.sh --check</c>, which puts the snapshots back as they were.
/// </summary>
public sealed class EfSnapshotTests
{
    [Fact]
    public async Task Adding_a_migration_on_either_provider_generates_an_empty_one()
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot.Path,
            Environment = { ["EF_NO_BUILD"] = "1" },
        };
        start.ArgumentList.Add(Path.Combine(RepoRoot.Path, "scripts", "ef-snapshots.sh"));
        start.ArgumentList.Add("--check");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var printed = await output + await error;
        Assert.True(process.ExitCode == 0, printed);
        Assert.Contains("Sqlite: Probe migration is empty", printed, StringComparison.Ordinal);
        Assert.Contains("Postgres: Probe migration is empty", printed, StringComparison.Ordinal);
    }
}
