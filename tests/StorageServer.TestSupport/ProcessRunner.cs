using System.Diagnostics;

namespace StorageServer.TestSupport;

/// <summary>Runs a short-lived tool to completion, for the helpers that set up servers.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> in the temp directory; returns its trimmed stdout, throws with its output on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
        return (await output).Trim();
    }
}
