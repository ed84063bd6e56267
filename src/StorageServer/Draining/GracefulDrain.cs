using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Draining;

/// <summary>
/// The first step of shutdown, before Kestrel stops listening: mark the node draining (readiness
/// 503, <c>Connection: close</c> on every response) and keep serving for
/// <c>StorageServer:DrainDelay</c>. A load balancer that probes readiness takes the node out; one
/// that only notices failures (nginx) finds no idle connection to it left in its pool, so when the
/// listener closes, its connection attempts are refused and go to another node without a request
/// being lost. Kestrel then finishes the requests in flight.
/// </summary>
internal sealed class GracefulDrain(DrainState state, IOptions<StorageServerOptions> options, ILogger<GracefulDrain> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.Begin();
        var delay = options.Value.DrainDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }
        logger.LogInformation("Draining for {DrainDelay}: readiness answers 503 and connections close after their response; then requests in flight finish", delay);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ended the drain early.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
