using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Dvc;
using StorageServer.Erasure;
using StorageServer.Git;
using StorageServer.Health;
using StorageServer.Holds;
using StorageServer.Jobs;
using StorageServer.Lfs;
using StorageServer.Observability;
using StorageServer.Repos;
using StorageServer.Retention;
using StorageServer.Storage;

namespace StorageServer;

/// <summary>Everything the server registers and maps, in one place so Program.cs stays short.</summary>
public static class StorageServerHost
{
    /// <summary>Command-line switches of the documented contract, mapped onto configuration keys.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--data-dir"] = $"{StorageServerOptions.Section}:DataDir",
    };

    public static WebApplicationBuilder AddStorageServer(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (Environment.GetEnvironmentVariable(AdminCredential.EnvironmentVariable) is { Length: > 0 } adminToken)
        {
            configuration[$"{AuthOptions.Section}:AdminToken"] = adminToken;
        }
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.GetValue("StorageServer:ShutdownTimeout", TimeSpan.FromMinutes(5)));

        var services = builder.Services;
        services.AddValidatedOptions<StorageServerOptions>(StorageServerOptions.Section)
            .AddValidatedOptions<LfsOptions>(LfsOptions.Section)
            .AddValidatedOptions<GitOptions>(GitOptions.Section)
            .AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddSingleton(TestClock.FromEnvironment() ?? TimeProvider.System);
        services.AddHttpLogging(o => o.LoggingFields = Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestProperties
            | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.ResponseStatusCode | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.Duration);
        services.AddProblemDetails();
        services.AddApiBadRequestErrors();
        services.AddStorageDatabase(configuration)
            .AddObjectStore(configuration)
            .AddStorageAuthentication(configuration)
            .AddStorageHealthChecks();
        services.AddSingleton<GitProcess>().AddSingleton<GitRepositoryLayout>().AddScoped<RepositoryProvisioner>().AddScoped<AuditLog>();
        services.AddLfs();
        services.AddDvc();
        services.AddGitHosting(configuration);
        services.AddStorageJobs(configuration);
        services.AddErasure();
        services.AddObservability();
        services.AddLegalHolds();
        services.AddScoped<Git.ServerCommits>();
        services.AddRetention();
        return builder;
    }

    public static WebApplication MapStorageServer(this WebApplication app)
    {
        // Resolve credentials now: the admin token file is written (and its path logged) at
        // startup, and a bad signing key stops the server before it listens.
        CreatePrivateDataDirectory(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageServerOptions>>().Value.FullDataDir);
        _ = app.Services.GetRequiredService<AdminCredential>();
        _ = app.Services.GetRequiredService<TransferTokens>();
        _ = app.Services.GetRequiredService<SubjectHasher>();
        _ = app.Services.GetRequiredService<ReceiptSigner>();
        if (app.Services.GetRequiredService<TimeProvider>() is TestClock testClock)
        {
            app.Logger.LogWarning("TEST CLOCK IN USE: time is shifted by the offset in {OffsetFile} ({Variable} is set). Never run production like this.",
                testClock.OffsetFile, TestClock.EnvironmentVariable);
        }
        app.UseHttpLogging();
        app.UseObservability();
        app.UseApiBadRequestErrors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapRepoEndpoints();
        app.MapTokenEndpoints();
        app.MapAuditEndpoints();
        app.MapLfsEndpoints();
        app.MapDvc();
        app.MapGitHosting();
        app.MapJobEndpoints();
        app.MapErasure();
        app.MapHoldEndpoints();
        app.MapRetention();
        return app;
    }

    /// <summary>
    /// The data directory holds the database, secrets and blobs: created readable by the server's
    /// user only. An existing directory is left as its admin set it.
    /// </summary>
    private static void CreatePrivateDataDirectory(string dataDir)
    {
        if (Directory.Exists(dataDir))
        {
            return;
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDir);
            return;
        }
        Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
