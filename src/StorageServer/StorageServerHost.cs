using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Dvc;
using StorageServer.DiskSpace;
using StorageServer.Draining;
using StorageServer.Erasure;
using StorageServer.Git;
using StorageServer.Git.Refs;
using StorageServer.Health;
using StorageServer.Holds;
using StorageServer.Hosting;
using StorageServer.Jobs;
using StorageServer.Lfs;
using StorageServer.Logging;
using StorageServer.Observability;
using StorageServer.Repos;
using StorageServer.RequestLimits;
using StorageServer.Retention;
using StorageServer.Storage;
using StorageServer.WebConsole;

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
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        // SIGTERM: the drain, then up to ShutdownTimeout for requests in flight.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.GetValue("StorageServer:ShutdownTimeout", TimeSpan.FromMinutes(5))
            + configuration.GetValue($"{StorageServerOptions.Section}:{nameof(StorageServerOptions.DrainDelay)}", new StorageServerOptions().DrainDelay));

        var services = builder.Services;
        services.AddValidatedOptions<StorageServerOptions>(StorageServerOptions.Section)
            .AddValidatedOptions<LfsOptions>(LfsOptions.Section)
            .AddValidatedOptions<GitOptions>(GitOptions.Section)
            .AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddSingleton(TestClock.FromEnvironment() ?? TimeProvider.System);
        services.AddProblemDetails();
        services.AddApiBadRequestErrors();
        services.AddServerAdminPolicy();
        services.AddRequestLimits();
        services.AddDiskSpace();
        services.AddGracefulDrain();
        services.AddStorageDatabase(configuration)
            .AddObjectStore(configuration)
            .AddStorageAuthentication(configuration)
            .AddStorageHealthChecks();
        services.AddSingleton<GitProcess>().AddSingleton<RefReader>().AddSingleton<GitRepositoryLayout>().AddScoped<RepositoryProvisioner>().AddScoped<RepositoryService>().AddScoped<RepositoryObjects>().AddScoped<AccessTokenService>().AddScoped<AuditLog>().AddScoped<AuditTrail>();
        services.AddLfs();
        services.AddDvc();
        services.AddGitHosting(configuration);
        services.AddStorageJobs(configuration);
        services.AddErasure();
        services.AddObservability(configuration);
        services.AddLegalHolds();
        services.AddScoped<Git.ServerCommits>();
        services.AddRetention(configuration);
        services.AddWebConsole(configuration);
        return builder;
    }

    public static WebApplication MapStorageServer(this WebApplication app)
    {
        // Options validation first: a bad setting stops startup here, as one line naming the key
        // (Program.cs), before the host would log it with a stack trace.
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        PlaceholderSettings.ThrowIfAny(app.Configuration);
        // Resolve credentials now: the admin token file is written (and its path logged) at
        // startup, and a bad signing key stops the server before it listens.
        CreatePrivateDataDirectory(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageServerOptions>>().Value.FullDataDir);
        // One server per SQLite database, refused here for the same reason (the hosted service would
        // fail inside the host's start, which logs the exception before Program.cs prints its line).
        app.Services.GetService<SqliteSingleProcessLock>()?.Acquire();
        _ = app.Services.GetRequiredService<AdminCredential>();
        _ = app.Services.GetRequiredService<TransferTokens>();
        _ = app.Services.GetRequiredService<SubjectHasher>();
        _ = app.Services.GetRequiredService<ReceiptSigner>();
        GarbageCollectorSettings.Log(app.Logger);
        if (app.Services.GetRequiredService<TimeProvider>() is TestClock testClock)
        {
            app.Logger.LogWarning("TEST CLOCK IN USE: time is shifted by the offset in {OffsetFile} ({Variable} is set). Never run production like this.",
                testClock.OffsetFile, TestClock.EnvironmentVariable);
        }
        app.UseRequestLog();
        app.UseGracefulDrain();
        app.UseObservability();
        app.UseDiskFullHandling();
        app.UseApiBadRequestErrors();
        app.UseWebConsole();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestBodyLimits();
        app.UseJsonRequestConcurrency();
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
        app.MapWebConsole();
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
