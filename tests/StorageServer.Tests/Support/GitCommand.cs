using System.Diagnostics;

namespace StorageServer.Tests.Support;

/// <summary>Runs the real git for tests that build repositories by hand.</summary>
public static class GitCommand
{
    /// <summary>Runs git (against <paramref name="gitDir"/> when given); fails the test on a non-zero exit. Returns stdout without the final newline.</summary>
    public static string Run(string? gitDir, params string[] arguments) => Run(gitDir, arguments, allowFailure: false);

    /// <summary>As <see cref="Run(string?, string[])"/>; with <paramref name="allowFailure"/> a failure returns "".</summary>
    public static string Run(string? gitDir, string[] arguments, bool allowFailure)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (gitDir is not null)
        {
            start.ArgumentList.Add("--git-dir");
            start.ArgumentList.Add(gitDir);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(allowFailure || process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error.GetAwaiter().GetResult()}");
        return process.ExitCode == 0 ? output.TrimEnd('\n') : "";
    }
}
