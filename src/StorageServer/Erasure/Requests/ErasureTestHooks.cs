using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Erasure.Requests;

/// <summary>
/// Test-only hooks, honoured only when their environment variable is set:
/// <see cref="KillVariable"/> kills the server process (SIGKILL, no shutdown) right after the N-th
/// object of a request was erased, once per data directory (a marker file remembers it), so the
/// crash-resume test can stop it at a known point; <see cref="PauseVariable"/> names a directory
/// where a file <c>pause-&lt;checkpoint&gt;</c> holds a request at that checkpoint (<c>restricted</c>, after
/// the restriction; <c>erasing</c>, after the first erased object) until the test deletes it, the
/// server writing <c>at-&lt;checkpoint&gt;</c> when it gets there, so a test can act in that state.
/// </summary>
public sealed class ErasureTestHooks(IOptions<StorageServerOptions> server, ILogger<ErasureTestHooks> logger)
{
    public const string KillVariable = "STORAGESERVER_TEST_KILL_AFTER_ERASED_OBJECTS";
    public const string PauseVariable = "STORAGESERVER_TEST_ERASURE_PAUSE_DIR";

    private readonly int? _killAfter = int.TryParse(Environment.GetEnvironmentVariable(KillVariable), out var n) && n > 0 ? n : null;
    private readonly string? _pauseDirectory = Environment.GetEnvironmentVariable(PauseVariable) is { Length: > 0 } d ? d : null;

    public void AfterObjectErased(int erasedInThisRun)
    {
        if (_killAfter is not { } after || erasedInThisRun != after)
        {
            return;
        }
        var marker = Path.Combine(server.Value.FullDataDir, "test-erasure-crash-fired");
        if (File.Exists(marker))
        {
            return;
        }
        File.WriteAllText(marker, "fired\n");
        logger.LogWarning("Test hook {Variable}: killing the server after {Count} erased objects", KillVariable, after);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
    }

    public async Task PauseAtAsync(string checkpoint, CancellationToken cancellationToken)
    {
        if (_pauseDirectory is null || !File.Exists(Path.Combine(_pauseDirectory, "pause-" + checkpoint)))
        {
            return;
        }
        logger.LogWarning("Test hook {Variable}: holding the erasure at {Checkpoint}", PauseVariable, checkpoint);
        await File.WriteAllTextAsync(Path.Combine(_pauseDirectory, "at-" + checkpoint), "here\n", cancellationToken);
        while (File.Exists(Path.Combine(_pauseDirectory, "pause-" + checkpoint)))
        {
            await Task.Delay(100, cancellationToken);
        }
    }
}
