using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>The environment variables the shipped deploy files give the server.</summary>
internal static partial class DeployEnvironments
{
    public static readonly string Deploy = Path.Combine(RepoRoot.Path, "deploy");

    /// <summary>deploy/systemd/storageserver.env: <c>KEY=value</c> lines, comments skipped.</summary>
    public static Dictionary<string, string> Systemd() =>
        File.ReadAllLines(Path.Combine(Deploy, "systemd", "storageserver.env"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    /// <summary>The container image's <c>ENV</c> instructions, continuation lines joined.</summary>
    public static Dictionary<string, string> Dockerfile()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "container", "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        return DockerEnv().Matches(dockerfile).SelectMany(m => DockerEnvPair().Matches(m.Groups[1].Value))
            .ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value);
    }

    [GeneratedRegex(@"^ENV (.+)$", RegexOptions.Multiline)]
    private static partial Regex DockerEnv();

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex DockerEnvPair();
}
