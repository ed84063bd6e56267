using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// The shipped deploy files, run for real: the server started with the systemd unit's own
/// ExecStart line and environment file, behind real nginx with the shipped site config, used by
/// real git and git-lfs.
/// </summary>
public sealed partial class DeployFilesTests : IDisposable
{
    private readonly GitSandbox _git = new();

    [Fact]
    public async Task Push_and_clone_through_nginx_in_front_of_the_unit_command_line()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "deploy", "systemd", "storageserver.service"));
        var environmentFile = DeployEnvironments.Systemd();
        var execStart = ExecStart().Match(unit).Groups[1].Value.Trim();

        await using var server = await ServerProcess.StartAsync(arguments: (port, dataDir) =>
        {
            var variables = new Dictionary<string, string>(environmentFile)
            {
                ["STORAGESERVER_URLS"] = $"http://127.0.0.1:{port}",
                ["STORAGESERVER_DATA_DIR"] = dataDir,
            };
            var words = execStart.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => VariableReference().Replace(w, m => variables[m.Groups[1].Value]))
                .ToList();
            Assert.Equal("/usr/bin/dotnet", words[0]);
            Assert.Equal("/opt/storageserver/StorageServer.dll", words[1]);
            words[1] = RepoRoot.ServerDll; // the published location on a real host
            return words.Skip(1).ToList();
        });
        var site = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "deploy", "nginx", "storageserver.conf"));
        await using var nginx = await NginxProcess.StartAsync(site, server.Port);

        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        _git.StoreCredentials(nginx.BaseUrl, token, "alice");
        var work = _git.PathOf("work");
        _git.Run(_git.Root, "clone", $"{nginx.BaseUrl}/team/data.git", work);
        _git.Run(work, "lfs", "track", "*.bin");
        var hash = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, "model.bin"), 20 * 1024 * 1024));
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "model");
        _git.Run(work, "push", "origin", "main");

        var clone = _git.PathOf("clone");
        _git.Run(_git.Root, "clone", $"{nginx.BaseUrl}/team/data.git", clone);
        Assert.Equal(hash, TestFiles.Sha256(Path.Combine(clone, "model.bin")));
        // Transfer hrefs follow the Host header nginx forwards, so the bytes went through nginx too.
        Assert.Matches("\"PUT /team/data.git/info/lfs/objects/[0-9a-f]{64} ", nginx.AccessLog);
        Assert.Matches("\"GET /team/data.git/info/lfs/objects/[0-9a-f]{64} ", nginx.AccessLog);

        // A path no URL may hold (an encoded NUL): a 400 git-lfs can show, LFS JSON with a message.
        using var client = new HttpClient();
        using var malformed = await client.GetAsync($"{nginx.BaseUrl}/team/data.git/info/lfs/objects/%00");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/vnd.git-lfs+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("%00", System.Text.Json.JsonDocument.Parse(await malformed.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^ExecStart=(.+)$", RegexOptions.Multiline)]
    private static partial Regex ExecStart();

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex VariableReference();

    public void Dispose() => _git.Dispose();
}
