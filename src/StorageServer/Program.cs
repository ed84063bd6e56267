using StorageServer;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
builder.Configuration.AddCommandLine(args, StorageServerHost.SwitchMappings);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8080");
}
builder.AddStorageServer();

var app = builder.Build();
app.MapStorageServer();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
