using System.Runtime;

namespace StorageServer.Hosting;

/// <summary>
/// The garbage collector's settings as the runtime applied them, logged once at start. The
/// deployments set <c>DOTNET_GCgen0size</c> (issue 17: a 4 MB gen0 budget instead of the one sized from
/// the L3 cache), which the runtime reads from the environment only: a runtimeconfig.json entry or a
/// launch profile that did not apply leaves no other trace. The runtime reports no gen0 size; the
/// largest gen0 budget it derived from it (<c>GCGen0MaxBudget</c>) shows that it took effect.
/// </summary>
internal static class GarbageCollectorSettings
{
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    public static void Log(ILogger logger)
    {
        var variables = GC.GetConfigurationVariables();
        logger.LogInformation(
            "Garbage collector: {Mode}, concurrent {Concurrent}, gen0 budget at most {Gen0MaxBudgetBytes} bytes, {Gen0SizeVariable}={Gen0Size}",
            GCSettings.IsServerGC ? "server" : "workstation",
            variables.GetValueOrDefault("ConcurrentGC"),
            variables.GetValueOrDefault("GCGen0MaxBudget"),
            Gen0SizeVariable,
            Environment.GetEnvironmentVariable(Gen0SizeVariable) ?? "(unset)");
    }
}
