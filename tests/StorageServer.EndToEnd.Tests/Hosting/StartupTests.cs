using System.Diagnostics;
using System.Net;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Without_an_admin_token_one_is_generated_into_the_data_dir_with_mode_0600()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["STORAGESERVER_ADMIN_TOKEN"] = "" });
        var tokenFile = Path.Combine(server.DataDir, "admin-token");
        Assert.True(File.Exists(tokenFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.Contains(tokenFile, server.Log, StringComparison.Ordinal);
        var token = (await File.ReadAllTextAsync(tokenFile)).Trim();
        Assert.DoesNotContain(token, server.Log, StringComparison.Ordinal);

        using var admin = server.CreateClient(token);
        using var response = await admin.GetAsync("/api/repos");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Auth__SigningKey", "c2hvcnQ=", "Auth:SigningKey")]
    [InlineData("Auth__Jwt__Issuer", "https://issuer.example", "Auth:Jwt:SigningKey")]
    [InlineData("Database__Provider", "Oracle", "Database:Provider")]
    [InlineData("Database__Provider", "Postgres", "Database:ConnectionString")]
    [InlineData("STORAGESERVER_ADMIN_TOKEN", "short", "STORAGESERVER_ADMIN_TOKEN")]
    public async Task Bad_configuration_stops_startup_naming_the_key(string variable, string value, string expectedKey)
    {
        var dataDir = Directory.CreateTempSubdirectory("storageserver-badconfig-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { RepoRoot.ServerDll, "--urls", "http://127.0.0.1:0", "--data-dir", dataDir })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["STORAGESERVER_ADMIN_TOKEN"] = ServerProcess.AdminToken;
        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "server kept running with bad configuration");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(expectedKey, await output + await error, StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }
}
