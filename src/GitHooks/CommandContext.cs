using System.Text;

namespace GitHooks;

/// <summary>
/// Every side effect a command has on the outside world goes through here: standard streams,
/// environment, working directory, clock and HTTP. Commands never touch <see cref="Console"/> or
/// <see cref="Environment"/> directly, so tests drive them with in-memory streams and a fake env.
/// </summary>
public interface ICommandContext
{
    /// <summary>Raw standard input (git's pkt-lines for the filter, ref lines for pre-push).</summary>
    Stream StdIn { get; }

    /// <summary>Raw standard output; the filter writes pkt-lines here, so it is never text-wrapped.</summary>
    Stream StdOut { get; }

    /// <summary>UTF-8 (no BOM), <c>\n</c> line endings.</summary>
    TextWriter Out { get; }

    /// <summary>UTF-8 (no BOM), <c>\n</c> line endings; all messages and progress go here.</summary>
    TextWriter Error { get; }

    /// <summary>Progress bars are drawn only when this is true.</summary>
    bool ErrorIsTerminal { get; }

    string WorkingDirectory { get; }

    TimeProvider Time { get; }

    string? GetEnvironmentVariable(string name);

    /// <summary>Extra environment for the git processes we start (tests isolate HOME and config this way).</summary>
    IReadOnlyDictionary<string, string> GitEnvironment { get; }

    /// <summary>The HTTP stack, a seam so tests can answer requests without a socket.</summary>
    HttpMessageHandler CreateHttpHandler();
}

/// <summary>The real process: console streams, process environment, sockets.</summary>
public sealed class ProcessCommandContext : ICommandContext
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public ProcessCommandContext()
    {
        StdIn = Console.OpenStandardInput();
        StdOut = Console.OpenStandardOutput();
        Out = new StreamWriter(Console.OpenStandardOutput(), Utf8NoBom) { AutoFlush = true, NewLine = "\n" };
        Error = new StreamWriter(Console.OpenStandardError(), Utf8NoBom) { AutoFlush = true, NewLine = "\n" };
    }

    public Stream StdIn { get; }

    public Stream StdOut { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool ErrorIsTerminal => !Console.IsErrorRedirected;

    public string WorkingDirectory => Environment.CurrentDirectory;

    public TimeProvider Time => TimeProvider.System;

    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    public IReadOnlyDictionary<string, string> GitEnvironment { get; } = new Dictionary<string, string>();

    public HttpMessageHandler CreateHttpHandler() => new SocketsHttpHandler
    {
        // .NET drops Authorization when following a redirect, as git-lfs does across hosts.
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        MaxConnectionsPerServer = 16,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
    };
}
