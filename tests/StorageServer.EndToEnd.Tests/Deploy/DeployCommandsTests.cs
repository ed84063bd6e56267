using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// Every command the deploy files tell an operator to run to make a secret is run, and the server
/// is started with exactly what those commands print, in the settings the files put it in: it must
/// accept all of it (the receipt-key command once made a SEC1 key the server refused). Each
/// placeholder secret must say which command makes it, in backticks in the comment above it.
/// </summary>
public sealed partial class DeployCommandsTests
{
    private static readonly string Deploy = Path.Combine(RepoRoot.Path, "deploy");

    private static readonly string[] SecretFileNames = ["compose/example.env", "kubernetes/secret.yaml"];

    public static TheoryData<string> SecretFiles => new(SecretFileNames);

    [Theory]
    [MemberData(nameof(SecretFiles))]
    public async Task The_server_accepts_the_secrets_the_documented_commands_make(string file)
    {
        var environment = new Dictionary<string, string>();
        foreach (var (setting, command) in PlaceholderSecrets(file))
        {
            environment[ServerVariable(file, setting)] = await RunAsync(command);
        }
        Assert.Equal(["Auth__SigningKey", "Erasure__ReceiptSigningKey", "Erasure__SubjectKey", "STORAGESERVER_ADMIN_TOKEN"], environment.Keys.Order());

        await using var server = await ServerProcess.StartAsync(environment);
        using var admin = server.CreateClient(environment["STORAGESERVER_ADMIN_TOKEN"]);
        using (var repos = await admin.GetAsync("/api/repos"))
        {
            Assert.Equal(HttpStatusCode.OK, repos.StatusCode);
        }
        // The receipt key in use is the one the command made.
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(environment["Erasure__ReceiptSigningKey"]), out _);
        var published = WhiteSpaceOrEscapedNewline().Replace(await admin.GetStringAsync("/api/erasure/public-key"), string.Empty);
        Assert.Contains(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), published, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_secret_command_in_the_deploy_docs_is_one_these_tests_run()
    {
        var run = SecretFileNames.SelectMany(PlaceholderSecrets).Select(s => s.Command).ToHashSet(StringComparer.Ordinal);
        var documented = Directory.EnumerateFiles(Deploy, "*", SearchOption.AllDirectories)
            .SelectMany(path => BacktickedCommand().Matches(File.ReadAllText(path)).Select(m => (File: Path.GetRelativePath(Deploy, path), Command: m.Groups[1].Value)))
            .Where(c => c.Command.StartsWith("openssl ", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(documented, c => c.Command.Contains("genpkey", StringComparison.Ordinal));
        Assert.All(documented, c => Assert.True(run.Contains(c.Command), $"{c.File} documents `{c.Command}`, which no secret placeholder uses"));
    }

    /// <summary>Each <c>replace-with-…</c> setting of the file and the backticked command in the comment right above it.</summary>
    private static List<(string Setting, string Command)> PlaceholderSecrets(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, file));
        var secrets = new List<(string, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var setting = SettingLine().Match(lines[i]);
            if (!setting.Success || !setting.Groups["value"].Value.Contains("replace-with-", StringComparison.Ordinal))
            {
                continue;
            }
            var comment = i > 0 ? BacktickedCommand().Match(lines[i - 1]) : Match.Empty;
            Assert.True(comment.Success && lines[i - 1].TrimStart().StartsWith('#'), $"{file}: {setting.Groups["key"].Value} does not say which command makes it");
            secrets.Add((setting.Groups["key"].Value, comment.Groups[1].Value));
        }
        return secrets;
    }

    /// <summary>The server's variable a file's setting ends up in (compose maps .env names through compose.yaml).</summary>
    private static string ServerVariable(string file, string setting)
    {
        if (!file.StartsWith("compose/", StringComparison.Ordinal))
        {
            return setting;
        }
        var environment = YamlFile.Load(Path.Combine(Deploy, "compose", "compose.yaml")).GetProperty("services").GetProperty("server1").GetProperty("environment");
        return environment.EnumerateObject().Single(v => v.Value.GetString()!.StartsWith("${" + setting + ":", StringComparison.Ordinal)).Name;
    }

    private static async Task<string> RunAsync(string command)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"`{command}` failed: {await error}");
        return (await output).Trim();
    }

    [GeneratedRegex(@"`(openssl [^`]+)`")]
    private static partial Regex BacktickedCommand();

    // KEY=value (env files) or Key: "value" (YAML stringData)
    [GeneratedRegex(@"^\s*(?<key>[A-Za-z_][A-Za-z0-9_]*)\s*(=|:\s*)""?(?<value>[^""]*)""?\s*$")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"\s|\\n")]
    private static partial Regex WhiteSpaceOrEscapedNewline();
}
