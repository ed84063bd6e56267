using System.Text;

namespace GitHooks.Tests.Support;

/// <summary>
/// An in-memory <see cref="ICommandContext"/>: stdin from bytes, stdout/stderr captured, env from a
/// dictionary, git run with a sandbox's isolated environment. Lets command classes run in process.
/// </summary>
public sealed class TestCommandContext(string workingDirectory, IReadOnlyDictionary<string, string> environment, byte[]? stdin = null) : ICommandContext
{
    private readonly MemoryStream _stdout = new();
    private readonly StringWriter _error = new() { NewLine = "\n" };

    public Stream StdIn { get; } = new MemoryStream(stdin ?? []);

    public Stream StdOut => _stdout;

    public TextWriter Out => field ??= new StreamWriter(_stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true, NewLine = "\n" };

    public TextWriter Error => _error;

    public bool ErrorIsTerminal => false;

    public string WorkingDirectory { get; } = workingDirectory;

    public TimeProvider Time => TimeProvider.System;

    public IReadOnlyDictionary<string, string> GitEnvironment { get; } = environment;

    public string? GetEnvironmentVariable(string name) => GitEnvironment.TryGetValue(name, out var value) ? value : null;

    public HttpMessageHandler CreateHttpHandler() => new SocketsHttpHandler();

    public string StdOutText => Encoding.UTF8.GetString(_stdout.ToArray());

    public string StdErrText => _error.ToString();
}
