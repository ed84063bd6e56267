using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.FileProviders;

namespace StorageServer.Logging;

/// <summary>
/// The operator's defaults, at the lowest priority so <c>appsettings.json</c>, environment variables
/// and the command line override each: one readable line per event (the request log gives one per
/// request), framework chatter and EF Core's SQL at Warning. <c>Logging:Console:FormatterName=json</c>
/// switches to JSON lines.
/// </summary>
public static class LoggingDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Quartz"] = "Warning",
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
    };

    /// <summary>
    /// Adds the defaults, and the <c>appsettings.json</c> shipped next to the server's DLL (the
    /// content root is the working directory, which for a service is its data directory), below
    /// one in the content root.
    /// </summary>
    public static void AddTo(ConfigurationManager configuration, string contentRoot)
    {
        var sources = ((IConfigurationBuilder)configuration).Sources;
        var shipped = AppContext.BaseDirectory;
        if (!SameDirectory(shipped, contentRoot))
        {
            var local = sources.ToList().FindIndex(s => s is JsonConfigurationSource { Path: "appsettings.json" });
            sources.Insert(Math.Max(local, 0), new JsonConfigurationSource
            {
                Path = "appsettings.json",
                Optional = true,
                FileProvider = new PhysicalFileProvider(shipped),
            });
        }
        sources.Insert(0, new MemoryConfigurationSource { InitialData = Settings });
    }

    private static bool SameDirectory(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
}
