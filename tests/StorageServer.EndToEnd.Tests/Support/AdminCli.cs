using System.Diagnostics;

namespace StorageServer.EndToEnd.Tests.Support;

public sealed record AdminCliResult(int ExitCode, string Output, string Error);

/// <summary>Runs <c>storageserver-admin</c> as an admin would, against a real server process.</summary>
public static class AdminCli
{
    public static async Task<AdminCliResult> RunAsync(IDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoRoot.AdminCliDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new AdminCliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs against <paramref name="server"/> with its admin token in the environment.</summary>
    public static Task<AdminCliResult> RunAsync(ServerProcess server, params string[] arguments) =>
        RunAsync(new Dictionary<string, string?> { ["STORAGESERVER_URL"] = server.BaseUrl, ["STORAGESERVER_ADMIN_TOKEN"] = ServerProcess.AdminToken }, arguments);
}
