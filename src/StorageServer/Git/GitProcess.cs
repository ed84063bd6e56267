using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Git;

/// <summary>
/// Runs git plumbing commands (as GitLab's Gitaly does) with arguments passed as a list, never
/// through a shell. Output is captured for small commands; streaming callers use <see cref="Start"/>.
/// </summary>
public sealed class GitProcess(IOptions<GitOptions> options)
{
    public string Executable => options.Value.Executable;

    public async Task<GitResult> RunAsync(string? gitDir, IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null)
    {
        using var process = Start(gitDir, arguments, redirectInput: standardInput is not null);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new GitResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts git with redirected streams; the caller owns and disposes the process.</summary>
    public Process Start(string? gitDir, IEnumerable<string> arguments, bool redirectInput, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        if (gitDir is not null)
        {
            start.ArgumentList.Add("--git-dir");
            start.ArgumentList.Add(gitDir);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Never let the server's own user config or a terminal prompt leak into repository operations.
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["HOME"] = Path.GetTempPath();
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{Executable}'.");
    }
}

public sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public GitResult EnsureSuccess(string what) =>
        Succeeded ? this : throw new InvalidOperationException($"git {what} failed with exit code {ExitCode}: {Error.Trim()}");
}
