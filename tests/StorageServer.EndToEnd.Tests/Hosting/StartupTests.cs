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

    [Fact]
    public async Task A_data_dir_the_server_creates_is_private_to_its_user()
    {
        var parent = Directory.CreateTempSubdirectory("storageserver-private-").FullName;
        var dataDir = Path.Combine(parent, "data");
        try
        {
            await using var server = await ServerProcess.StartAsync(dataDir: dataDir);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
            Assert.True(File.Exists(Path.Combine(dataDir, "storageserver.db")));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    /// <param name="settings">Environment variables, <c>KEY=value</c> separated by <c>;</c>, or <c>--Key=value</c> command-line arguments.</param>
    /// <param name="expected">Texts the one error line must contain, separated by <c>|</c>.</param>
    [Theory]
    [InlineData("--Lfs:MaxObjectSize=abc", "Lfs:MaxObjectSize: 'abc' is not a valid Int64")]
    [InlineData("Lfs__MaxBatchObjects=5", "Lfs:MaxBatchObjects: The field MaxBatchObjects must be between 100 and 100000")]
    [InlineData("StorageServer__DrainDelay=soon", "StorageServer:DrainDelay")]
    [InlineData("StorageServer__ShutdownTimeout=later", "StorageServer:ShutdownTimeout")]
    [InlineData("--Limits:MaxRequestBodyBytes=1", "Limits:MaxRequestBodyBytes")]
    [InlineData("DiskSpace__MinFreeBytes=-1", "DiskSpace:MinFreeBytes")]
    [InlineData("STORAGESERVER_ADMIN_TOKEN=replace-with-32-random-characters-at-least", "STORAGESERVER_ADMIN_TOKEN (Auth:AdminToken) is a placeholder")]
    [InlineData("STORAGESERVER_ADMIN_TOKEN=abababababababababababab", "STORAGESERVER_ADMIN_TOKEN (Auth:AdminToken) has too little entropy")]
    [InlineData("Auth__SigningKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Auth:SigningKey has too little entropy")]
    [InlineData("Erasure__SubjectKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Erasure:SubjectKey has too little entropy")]
    [InlineData("Database__Provider=Postgres;Database__ConnectionString=Host=db Password=replace-me", "Database:ConnectionString is a placeholder")]
    [InlineData("ObjectStore__S3__SecretKey=replace-me", "ObjectStore:S3:SecretKey is a placeholder")]
    [InlineData("Metrics__ScrapeToken=aaaaaaaaaaaaaaaaaaaaaaaa", "Metrics:ScrapeToken has too little entropy")]
    // What the deploy docs' old command made: SEC1, not PKCS#8.
    [InlineData("Erasure__ReceiptSigningKey=MHcCAQEEIHBAr3cAgXlHTRbl1DRkR2UkV3rAuAIEUQt2IJnCDyHwoAoGCCqGSM49AwEHoUQDQgAEaiph/S0gjgICtfiBMrModvZuJNQ8M/9oOQhVtmOozmxPEE2RAK6r2Dor0Xqmw4rUaOnrdedGqFa0YntWfCjhVQ==",
        "Erasure:ReceiptSigningKey must be a PKCS#8 private key")]
    [InlineData("Auth__SigningKey=c2hvcnQ=", "Auth:SigningKey")]
    [InlineData("Erasure__SubjectKey=c2hvcnQ=", "Erasure:SubjectKey")]
    [InlineData("Erasure__ReceiptSigningKey=bm90IGEga2V5", "Erasure:ReceiptSigningKey")]
    [InlineData("Auth__Jwt__Issuer=https://issuer.example", "Auth:Jwt:SigningKey")]
    [InlineData("Database__Provider=Oracle", "Database:Provider")]
    [InlineData("Database__Provider=Postgres", "Database:ConnectionString")]
    [InlineData("STORAGESERVER_ADMIN_TOKEN=short", "STORAGESERVER_ADMIN_TOKEN")]
    [InlineData("Jobs__Schedules__RescanAll=every night", "Jobs:Schedules:RescanAll: 'every night' is not a Quartz cron expression")]
    [InlineData("Jobs__Schedules__Nope=0 0 3 * * ?", "Jobs:Schedules:Nope: no such job")]
    [InlineData("Jobs__DefaultMaxRunDuration=00:00:00", "Jobs:DefaultMaxRunDuration must be positive")]
    [InlineData("Jobs__MaxConcurrency=0", "MaxConcurrency")]
    [InlineData("ObjectStore__Type=S3;ObjectStore__S3__AccessKey=only-half;ObjectStore__S3__PartSize=1024",
        "ObjectStore:S3:Bucket is required|ObjectStore:S3:ServiceUrl or ObjectStore:S3:Region is required"
        + "|ObjectStore:S3:AccessKey and ObjectStore:S3:SecretKey must be set together|ObjectStore:S3:PartSize must be between")]
    [InlineData("ObjectStore__Type=AzureBlob;ObjectStore__AzureBlob__AccountKey=only-half;ObjectStore__AzureBlob__BlockSize=1024;ObjectStore__AzureBlob__Container=Not_A_Name",
        "ObjectStore:AzureBlob:ConnectionString or ObjectStore:AzureBlob:ServiceUrl is required"
        + "|ObjectStore:AzureBlob:AccountName and ObjectStore:AzureBlob:AccountKey must be set together"
        + "|ObjectStore:AzureBlob:Container is required|ObjectStore:AzureBlob:BlockSize must be between")]
    [InlineData("ObjectStore__Type=AzureBlob;ObjectStore__AzureBlob__ConnectionString=UseDevelopmentStorage=true;ObjectStore__AzureBlob__Container=lfs;ObjectStore__AzureBlob__BlockSize=1048576",
        "ObjectStore:AzureBlob:BlockSize 1048576 is too small for Lfs:MaxObjectSize")]
    [InlineData("Telemetry__OtlpEndpoint=collector:4318;Telemetry__OtlpHeaders=no-equals-sign",
        "Telemetry:OtlpEndpoint must be an absolute http or https URL|Telemetry:OtlpHeaders must be key=value pairs")]
    public async Task Bad_configuration_stops_startup_naming_the_key(string settings, string expected)
    {
        var dataDir = Directory.CreateTempSubdirectory("storageserver-badconfig-").FullName;
        var line = await RunUntilConfigurationErrorAsync(dataDir, settings);
        foreach (var text in expected.Split('|'))
        {
            Assert.Contains(text, line, StringComparison.Ordinal);
        }
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_second_server_on_the_same_sqlite_data_dir_stops_with_one_line_and_the_first_keeps_serving()
    {
        await using var first = await ServerProcess.StartAsync();
        var line = await RunUntilConfigurationErrorAsync(first.DataDir, settings: "");
        Assert.Contains("another StorageServer process is serving the SQLite database", line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(first.DataDir, "storageserver.db"), line, StringComparison.Ordinal);

        using var admin = first.CreateClient(ServerProcess.AdminToken);
        using var response = await admin.GetAsync("/api/repos");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Starts a server that must refuse to start: exit code 1 and one line, returned, naming what is wrong; no stack trace.</summary>
    private static async Task<string> RunUntilConfigurationErrorAsync(string dataDir, string settings)
    {
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
        foreach (var setting in settings.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (setting.StartsWith("--", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(setting);
                continue;
            }
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("server kept running with bad configuration");
        }
        var printed = await output + await error;
        // Exit code 1 with one line naming the key: no unhandled exception (134) and no stack trace.
        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}:\n{printed}");
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        return Assert.Single(printed.Split('\n'), l => l.StartsWith("StorageServer: configuration error: ", StringComparison.Ordinal));
    }
}
