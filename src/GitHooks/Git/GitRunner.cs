using System.Diagnostics;
using System.Text;

namespace GitHooks.Git;

/// <summary>The result of a git command whose output is small enough to keep as text.</summary>
public sealed record GitResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs the real <c>git</c> executable (there is no usable libgit2 here, and git itself is the
/// reference for config, attributes and object access). Output that can be large is streamed
/// through <see cref="Start"/>; small queries use <see cref="RunAsync"/>.
/// </summary>
public sealed class GitRunner
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    public GitRunner(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        WorkingDirectory = workingDirectory;
        Environment = environment ?? new Dictionary<string, string>();
    }

    public string WorkingDirectory { get; }

    /// <summary>Extra variables for the child; the rest is inherited from this process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public async Task<GitResult> RunAsync(IEnumerable<string> args, string? stdin, CancellationToken cancellationToken)
    {
        using var process = Start(args);
        var stdoutTask = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderrTask = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(Utf8NoBom.GetBytes(stdin), cancellationToken);
        }
        process.StandardInput.Close();
        var stdout = await stdoutTask;
        var stderr = await stderrTask;
        await process.WaitForExitAsync(cancellationToken);
        return new GitResult(process.ExitCode, stdout, stderr);
    }

    public Task<GitResult> RunAsync(CancellationToken cancellationToken, params string[] args) =>
        RunAsync(args, null, cancellationToken);

    /// <summary>Runs git and throws with git's own message when it fails.</summary>
    public async Task<string> RunCheckedAsync(CancellationToken cancellationToken, params string[] args)
    {
        var result = await RunAsync(args, null, cancellationToken);
        if (!result.Succeeded)
        {
            throw new GitException($"git {string.Join(' ', args)} failed: {result.StdErr.Trim()}");
        }
        return result.StdOut;
    }

    /// <summary>Starts git with redirected streams; the caller reads and writes them as streams.</summary>
    public Process Start(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            StandardInputEncoding = Utf8NoBom,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }
        return Process.Start(info) ?? throw new GitException("could not start git");
    }
}

public sealed class GitException(string message) : Exception(message);
