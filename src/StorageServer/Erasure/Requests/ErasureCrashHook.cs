using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Erasure.Requests;

/// <summary>
/// Test-only: kills the server process (SIGKILL, no shutdown) right after the N-th object of a
/// request was erased, so the crash-resume test can stop it at a known point. Honoured only when
/// the environment variable <see cref="Variable"/> is set; fires once per data directory (a marker
/// file remembers it), so the restarted server finishes the work.
/// </summary>
public sealed class ErasureCrashHook(IOptions<StorageServerOptions> server, ILogger<ErasureCrashHook> logger)
{
    public const string Variable = "STORAGESERVER_TEST_KILL_AFTER_ERASED_OBJECTS";

    private readonly int? _after = int.TryParse(Environment.GetEnvironmentVariable(Variable), out var n) && n > 0 ? n : null;

    public void AfterObjectErased(int erasedInThisRun)
    {
        if (_after is not { } after || erasedInThisRun != after)
        {
            return;
        }
        var marker = Path.Combine(server.Value.FullDataDir, "test-erasure-crash-fired");
        if (File.Exists(marker))
        {
            return;
        }
        File.WriteAllText(marker, "fired\n");
        logger.LogWarning("Test hook {Variable}: killing the server after {Count} erased objects", Variable, after);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
    }
}
