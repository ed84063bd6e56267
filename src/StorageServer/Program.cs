using StorageServer;
using StorageServer.Configuration;
using StorageServer.Hosting;
using StorageServer.Logging;

NativeHeapTuning.Apply();
try
{
    // The slim builder (issue 17): no IIS integration, no HTTP/3 (QUIC) transport, no EventSource,
    // Debug or EventLog logging providers, none of which a Linux server behind a proxy uses, but
    // whose assemblies and registrations every server loaded (IIS, System.Net.Quic and Kestrel's QUIC
    // transport: ~1.5 MB mapped, plus their types and code). Kestrel endpoints with certificates in
    // configuration ("Kestrel:Endpoints") keep working: HTTPS configuration is added back.
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
    builder.WebHost.UseKestrelHttpsConfiguration();
    builder.Logging.UseConfiguredConsoleFormatter();
    LoggingDefaults.AddTo(builder.Configuration, builder.Environment.ContentRootPath);
    builder.Configuration.AddCommandLine(args, StorageServerHost.SwitchMappings);
    if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
    {
        builder.WebHost.UseUrls("http://127.0.0.1:8080");
    }
    builder.AddStorageServer();

    var app = builder.Build();
    app.MapStorageServer();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (ConfigurationErrors.Describe(e) is { } message)
{
    // One line naming the key and exit code 1, not a stack trace and an abort.
    await Console.Error.WriteLineAsync(message);
    return 1;
}

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
